// Pruning (issue #5 item 3): unstructured magnitude pruning and structured channel pruning, each
// graph -> graph with a plain-data report of what changed, what it saves and what it costs.

export { pruneChannels, type ChannelLayerReport, type ChannelPruneOptions, type ChannelPruneReport, type ChannelSpaceReport } from './channels';
export { analyzeChannelSpaces, type ChannelAnalysis, type ChannelSpace } from './channelSpaces';
export { PruneError } from './graphEdit';
export { pruneMagnitude, type MagnitudeLayerReport, type MagnitudePruneOptions, type MagnitudePruneReport, type PruneResult, type SkippedLayer } from './magnitude';
export { measureAccuracy, type AccuracyCost, type BudgetComparison, type BudgetTotalsSummary, type EvaluationOptions } from './report';
