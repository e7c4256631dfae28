import type { Category } from '../timelimits/categories.js';
import { classify } from './classifier.js';
import type { ClassifierModel } from './classifier.js';
import { DEPARTMENT_BY_CATEGORY, departmentFor } from './department-map.js';
import { createTaxonomyMatcher, suggestSubcategory } from './taxonomy-match.js';
import type { TaxonomyMatcher } from './taxonomy-match.js';

/*
 * Smart routing (智能分拨) of one message: the classifier gives the first-level category and a
 * confidence, the catalogue terms suggest level 2/3, the department table gives the lead
 * department. Below the confidence threshold the suggestion is still returned, marked for the
 * operator: a wrong automatic dispatch costs a round trip between departments.
 */

/**
 * Default threshold for automatic dispatch. In 5-fold cross-validation on the 6,199 labelled
 * messages (scripts/eval-classifier.mjs) 90% of messages reach 0.7 and 95% of those are right;
 * the other 10%, right only ~58% of the time, go to an operator.
 */
export const DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

/** Everything routing needs, built once. */
export interface MessageRouter {
  model: ClassifierModel;
  taxonomy: TaxonomyMatcher | null;
  departments: Readonly<Record<string, string>>;
  threshold: number;
}

/** The routing suggestion for one message. */
export interface RoutingSuggestion {
  /** First-level category. */
  label: string;
  level2: string | null;
  level3: string | null;
  /** Catalogue code of the most specific suggested category; null without a catalogue. */
  categoryCode: string | null;
  /** Lead department code (D01..D17), or null when the table does not know the category. */
  department: string | null;
  /** Probability of `label`, 0..1. */
  confidence: number;
  /** confidence < threshold: leave the choice to the operator. */
  needsReview: boolean;
}

/** Builds a router from a trained model and (optionally) the category catalogue. */
export function createRouter(
  model: ClassifierModel,
  categories: readonly Category[] | null = null,
  options: { departments?: Readonly<Record<string, string>>; threshold?: number } = {},
): MessageRouter {
  return {
    model,
    taxonomy: categories ? createTaxonomyMatcher(categories) : null,
    departments: options.departments ?? DEPARTMENT_BY_CATEGORY,
    threshold: options.threshold ?? DEFAULT_CONFIDENCE_THRESHOLD,
  };
}

/** Routes one message: category (levels 1–3), lead department and confidence. */
export function routeMessage(router: MessageRouter, text: string): RoutingSuggestion {
  const { label, confidence } = classify(router.model, text);
  const sub = router.taxonomy
    ? suggestSubcategory(router.taxonomy, label, text)
    : { level2: null, level3: null, code: null };
  return {
    label,
    level2: sub.level2,
    level3: sub.level3,
    categoryCode: sub.code,
    department: departmentFor(label, sub.level2, sub.level3, router.departments),
    confidence,
    needsReview: confidence < router.threshold,
  };
}
