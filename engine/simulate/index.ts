/** The simulator (docs/product.md#simulating-a-flow): scenarios and the virtual-clock driver. */
export {
  Scenario,
  ScenarioEvent,
  ScenarioFollower,
  scenarioTime,
  MAX_SCENARIO_MS,
  type ScenarioInput,
} from './scenario';
export {
  simulate,
  parseScenario,
  ScenarioError,
  type SimBrand,
  type SimEnd,
  type SimMessage,
  type SimResult,
  type SimTraceItem,
} from './simulate';
export {
  dryRun,
  sampleEntryEvent,
  NOT_ENTERED,
  type DryRunFollower,
  type DryRunNode,
  type DryRunResult,
} from './dry-run';
