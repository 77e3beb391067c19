// The workflow bundle's entry: every workflow type the worker serves.
export { helloJourney } from './hello';
export { journey, eventSignal, exitSignal, currentStepQuery } from './journey';
export { dateSweep } from './date-sweep';
export { followersImport } from './followers-import';
