import type { DestinationPolicy } from '../webhooks/destination.js';
import type {
  AuthService,
  CaseService,
  DepartmentService,
  GovernanceService,
  AttachmentService,
  WebhookService,
  VolumeService,
  LoopSettingsService,
  MergeService,
  OpinionService,
  ImService,
  ResidentService,
  ServiceDeps,
  StaffService,
} from '@civicgrid/core';

/** The services the routes call; built once in app.ts. */
export interface Services {
  deps: ServiceDeps;
  governance: GovernanceService;
  staff: StaffService;
  auth: AuthService;
  departments: DepartmentService;
  cases: CaseService;
  loopSettings: LoopSettingsService;
  attachments: AttachmentService;
  merging: MergeService;
  opinion: OpinionService;
  /** The resident line (一群通办) and its IM adapter. */
  residents: ResidentService;
  im: ImService;
  webhooks: WebhookService;
  volumes: VolumeService;
  /** Where outgoing webhooks may go (deployment configuration). */
  webhookPolicy: DestinationPolicy;
}
