/** What the trainer and the runners share: the client, the plan, run control and the record of what happened. */
import type { LightningStoreClient } from '@agl/client';
import type { Control } from './control.js';
import type { Scenario, Timing } from './scenario.js';
import type { SummaryLists } from './summary.js';

export interface DemoContext {
  client: LightningStoreClient;
  scenario: Scenario;
  timing: Timing;
  control: Control;
  record: SummaryLists;
  counters: { spans: number; batches: number };
  log: (line: string) => void;
}
