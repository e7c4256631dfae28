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
  OpinionService,
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
  opinion: OpinionService;
  webhooks: WebhookService;
  volumes: VolumeService;
  /** Where outgoing webhooks may go (deployment configuration). */
  webhookPolicy: DestinationPolicy;
}
