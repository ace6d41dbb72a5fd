/** One forward-only schema change. `version` numbers are consecutive from 1. */
export interface Migration {
  version: number;
  name: string;
  /** SQL run inside one transaction. */
  up: string;
}
