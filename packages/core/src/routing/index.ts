// Smart routing (智能分拨): classify a citizen message into a first-level category, suggest level
// 2/3 and the lead department. Pure TypeScript, in process, on the CPU; see docs in each file.
export { normalizeText } from './normalize.js';
export { DEFAULT_FEATURE_OPTIONS, extractFeatures } from './features.js';
export type { FeatureBag, FeatureOptions } from './features.js';
export { DEFAULT_SGD_OPTIONS } from './linear-sgd.js';
export type { SgdOptions } from './linear-sgd.js';
export { DEFAULT_SVM_OPTIONS } from './linear-svm.js';
export type { SvmOptions } from './linear-svm.js';
export {
  DEFAULT_TRAIN_OPTIONS,
  NB_BASELINE_OPTIONS,
  classify,
  scoreText,
  trainClassifier,
} from './classifier.js';
export type {
  Classification,
  ClassifierKind,
  ClassifierModel,
  LabeledText,
  TrainOptions,
} from './classifier.js';
export { fitTemperature, softmax } from './calibration.js';
export { confidenceTable, crossValidate, scorePredictions, stratifiedFolds } from './cross-validate.js';
export type {
  ClassMetrics,
  ConfidenceRow,
  CrossValidationReport,
  HeldOutPrediction,
  Predictor,
  Trainer,
} from './cross-validate.js';
export { MODEL_FORMAT, MODEL_FORMAT_VERSION, deserializeModel, serializeModel } from './model-codec.js';
export type { SerializedModel } from './model-codec.js';
export { TAXONOMY_TERMS } from './taxonomy-terms.js';
export { createTaxonomyMatcher, suggestSubcategory } from './taxonomy-match.js';
export type { SubcategorySuggestion, TaxonomyMatcher } from './taxonomy-match.js';
export { DEPARTMENT_BY_CATEGORY, departmentFor } from './department-map.js';
export { DEFAULT_CONFIDENCE_THRESHOLD, createRouter, routeMessage } from './router.js';
export type { MessageRouter, RoutingSuggestion } from './router.js';
