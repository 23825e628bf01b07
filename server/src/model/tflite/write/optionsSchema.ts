// Builtin options layout for the writer: the `BuiltinOptions` / `BuiltinOptions2` union members of
// schema.fbs, one line of field specs per table in slot order, in the reader's spec language
// (see ../options.ts). The reader keeps its table private, so this is a copy of it; the writer's
// test encodes a non-default value into every field and decodes it with the reader, so the two
// cannot drift apart unnoticed. (Exporting the reader's table would remove the copy: issue #5.)

const ACT = 'fusedActivation:enum(NONE|RELU|RELU_N1_TO_1|RELU6|TANH|SIGN_BIT)';
const PAD = 'padding:enum(SAME|VALID)';
const STRIDES = 'strideW:i32 strideH:i32';
const AQI = 'asymmetricQuantizeInputs:bool';

/** `BuiltinOptions` members in union order: the union's type tag is index + 1. */
export const BUILTIN_OPTIONS: readonly (readonly [string, string])[] = [
  ['Conv2DOptions', `${PAD} ${STRIDES} ${ACT} dilationW:i32=1 dilationH:i32=1 quantizedBiasType:type`],
  ['DepthwiseConv2DOptions', `${PAD} ${STRIDES} depthMultiplier:i32 ${ACT} dilationW:i32=1 dilationH:i32=1`],
  ['ConcatEmbeddingsOptions', 'numChannels:i32 numColumnsPerChannel:i32s embeddingDimPerChannel:i32s'],
  ['LSHProjectionOptions', 'type:enum(UNKNOWN|SPARSE|DENSE)'],
  ['Pool2DOptions', `${PAD} ${STRIDES} filterWidth:i32 filterHeight:i32 ${ACT}`],
  ['SVDFOptions', `rank:i32 ${ACT} ${AQI}`],
  ['RNNOptions', `${ACT} ${AQI}`],
  ['FullyConnectedOptions', `${ACT} weightsFormat:enum(DEFAULT|SHUFFLED4x16INT8) keepNumDims:bool ${AQI} quantizedBiasType:type`],
  ['SoftmaxOptions', 'beta:f32'],
  ['ConcatenationOptions', `axis:i32 ${ACT}`],
  ['AddOptions', `${ACT} potScaleInt16:bool=true`],
  ['L2NormOptions', ACT],
  ['LocalResponseNormalizationOptions', 'radius:i32 bias:f32 alpha:f32 beta:f32'],
  ['LSTMOptions', `${ACT} cellClip:f32 projClip:f32 kernelType:enum(FULL|BASIC) ${AQI}`],
  ['ResizeBilinearOptions', '- - alignCorners:bool halfPixelCenters:bool'],
  ['CallOptions', 'subgraph:u32'],
  ['ReshapeOptions', 'newShape:i32s'],
  ['SkipGramOptions', 'ngramSize:i32 maxSkipSize:i32 includeAllNgrams:bool'],
  ['SpaceToDepthOptions', 'blockSize:i32'],
  ['EmbeddingLookupSparseOptions', 'combiner:enum(SUM|MEAN|SQRTN)'],
  ['MulOptions', ACT],
  ['PadOptions', ''],
  ['GatherOptions', 'axis:i32 batchDims:i32'],
  ['BatchToSpaceNDOptions', ''],
  ['SpaceToBatchNDOptions', ''],
  ['TransposeOptions', ''],
  ['ReducerOptions', 'keepDims:bool'],
  ['SubOptions', `${ACT} potScaleInt16:bool=true`],
  ['DivOptions', ACT],
  ['SqueezeOptions', 'squeezeDims:i32s'],
  ['SequenceRNNOptions', `timeMajor:bool ${ACT} ${AQI}`],
  ['StridedSliceOptions', 'beginMask:i32 endMask:i32 ellipsisMask:i32 newAxisMask:i32 shrinkAxisMask:i32 offset:bool'],
  ['ExpOptions', ''],
  ['TopKV2Options', ''],
  ['SplitOptions', 'numSplits:i32'],
  ['LogSoftmaxOptions', ''],
  ['CastOptions', 'inDataType:type outDataType:type'],
  ['DequantizeOptions', ''],
  ['MaximumMinimumOptions', ''],
  ['ArgMaxOptions', 'outputType:type'],
  ['LessOptions', ''],
  ['NegOptions', ''],
  ['PadV2Options', ''],
  ['GreaterOptions', ''],
  ['GreaterEqualOptions', ''],
  ['LessEqualOptions', ''],
  ['SelectOptions', ''],
  ['SliceOptions', ''],
  ['TransposeConvOptions', `${PAD} ${STRIDES} ${ACT} quantizedBiasType:type`],
  ['SparseToDenseOptions', 'validateIndices:bool'],
  ['TileOptions', ''],
  ['ExpandDimsOptions', ''],
  ['EqualOptions', ''],
  ['NotEqualOptions', ''],
  ['ShapeOptions', 'outType:type'],
  ['PowOptions', ''],
  ['ArgMinOptions', 'outputType:type'],
  ['FakeQuantOptions', 'min:f32 max:f32 numBits:i32 narrowRange:bool'],
  ['PackOptions', 'valuesCount:i32 axis:i32'],
  ['LogicalOrOptions', ''],
  ['OneHotOptions', 'axis:i32'],
  ['LogicalAndOptions', ''],
  ['LogicalNotOptions', ''],
  ['UnpackOptions', 'num:i32 axis:i32'],
  ['FloorDivOptions', ''],
  ['SquareOptions', ''],
  ['ZerosLikeOptions', ''],
  ['FillOptions', ''],
  ['BidirectionalSequenceLSTMOptions', `${ACT} cellClip:f32 projClip:f32 mergeOutputs:bool timeMajor:bool=true ${AQI}`],
  ['BidirectionalSequenceRNNOptions', `timeMajor:bool ${ACT} mergeOutputs:bool ${AQI}`],
  ['UnidirectionalSequenceLSTMOptions', `${ACT} cellClip:f32 projClip:f32 timeMajor:bool ${AQI} diagonalRecurrentTensors:bool`],
  ['FloorModOptions', ''],
  ['RangeOptions', ''],
  ['ResizeNearestNeighborOptions', 'alignCorners:bool halfPixelCenters:bool'],
  ['LeakyReluOptions', 'alpha:f32'],
  ['SquaredDifferenceOptions', ''],
  ['MirrorPadOptions', 'mode:enum(REFLECT|SYMMETRIC)'],
  ['AbsOptions', ''],
  ['SplitVOptions', 'numSplits:i32'],
  ['UniqueOptions', 'idxOutType:type=2'],
  ['ReverseV2Options', ''],
  ['AddNOptions', ''],
  ['GatherNdOptions', ''],
  ['CosOptions', ''],
  ['WhereOptions', ''],
  ['RankOptions', ''],
  ['ReverseSequenceOptions', 'seqDim:i32 batchDim:i32'],
  ['MatrixDiagOptions', ''],
  ['QuantizeOptions', ''],
  ['MatrixSetDiagOptions', ''],
  ['HardSwishOptions', ''],
  ['IfOptions', 'thenSubgraphIndex:i32 elseSubgraphIndex:i32'],
  ['WhileOptions', 'condSubgraphIndex:i32 bodySubgraphIndex:i32'],
  ['DepthToSpaceOptions', 'blockSize:i32'],
  ['NonMaxSuppressionV4Options', ''],
  ['NonMaxSuppressionV5Options', ''],
  ['ScatterNdOptions', ''],
  ['SelectV2Options', ''],
  ['DensifyOptions', ''],
  ['SegmentSumOptions', ''],
  ['BatchMatMulOptions', `adjX:bool adjY:bool ${AQI}`],
  ['CumsumOptions', 'exclusive:bool reverse:bool'],
  ['CallOnceOptions', 'initSubgraphIndex:i32'],
  ['BroadcastToOptions', ''],
  ['Rfft2dOptions', ''],
  ['Conv3DOptions', `${PAD} strideD:i32 ${STRIDES} ${ACT} dilationD:i32=1 dilationW:i32=1 dilationH:i32=1`],
  ['HashtableOptions', 'tableId:i32 keyDtype:type valueDtype:type'],
  ['HashtableFindOptions', ''],
  ['HashtableImportOptions', ''],
  ['HashtableSizeOptions', ''],
  ['VarHandleOptions', 'container:str sharedName:str'],
  ['ReadVariableOptions', ''],
  ['AssignVariableOptions', ''],
  ['RandomOptions', 'seed:i64 seed2:i64'],
  ['BucketizeOptions', 'boundaries:f32s'],
  ['GeluOptions', 'approximate:bool'],
  ['DynamicUpdateSliceOptions', ''],
  ['UnsortedSegmentProdOptions', ''],
  ['UnsortedSegmentMaxOptions', ''],
  ['UnsortedSegmentMinOptions', ''],
  ['UnsortedSegmentSumOptions', ''],
  ['ATan2Options', ''],
  ['SignOptions', ''],
  ['BitcastOptions', ''],
  ['BitwiseXorOptions', ''],
  ['RightShiftOptions', ''],
];

const PRECISION = 'precisionConfig:enums32(DEFAULT|HIGH|HIGHEST)';

/** `BuiltinOptions2` members (StableHLO and newer ops) in union order. */
export const BUILTIN_OPTIONS_2: readonly (readonly [string, string])[] = [
  ['StablehloConcatenateOptions', 'dimension:i64'],
  ['StablehloBroadcastInDimOptions', 'broadcastDimensions:i64s'],
  ['StablehloSliceOptions', 'startIndices:i64s limitIndices:i64s strides:i64s'],
  [
    'StablehloConvolutionOptions',
    'windowStrides:i64s padding:i64s lhsDilation:i64s rhsDilation:i64s windowReversal:bools inputBatchDimension:i64 ' +
      'inputFeatureDimension:i64 inputSpatialDimensions:i64s kernelInputFeatureDimension:i64 kernelOutputFeatureDimension:i64 ' +
      'kernelSpatialDimensions:i64s outputBatchDimension:i64 outputFeatureDimension:i64 outputSpatialDimensions:i64s ' +
      `featureGroupCount:i64 batchGroupCount:i64 ${PRECISION}`,
  ],
  ['StablehloCustomCallOptions', 'callTargetName:str hasSideEffect:bool backendConfig:str apiVersion:i32 calledComputations:i32s customAttributes:u8s'],
  ['StablehloReduceOptions', 'dimensions:i64s bodySubgraphIndex:i32'],
  [
    'StablehloScatterOptions',
    'indicesAreSorted:bool updateWindowDims:i64s insertedWindowDims:i64s scatterDimsToOperandDims:i64s indexVectorDim:i64 ' +
      'uniqueIndices:bool updateComputationSubgraphIndex:i32',
  ],
  ['StablehloCompareOptions', 'comparisonDirection:enum32(EQ|NE|GE|GT|LE|LT) compareType:enum32(NOTYPE|FLOAT|FLOAT_TOTAL_ORDER|SIGNED|UNSIGNED)'],
  ['StablehloDynamicSliceOptions', 'sliceSizes:i64s'],
  ['StablehloPadOptions', 'edgePaddingLow:i64s edgePaddingHigh:i64s interiorPadding:i64s'],
  ['StablehloIotaOptions', 'iotaDimension:i64'],
  ['StablehloDotGeneralOptions', `lhsBatchingDimensions:i64s rhsBatchingDimensions:i64s lhsContractingDimensions:i64s rhsContractingDimensions:i64s ${PRECISION}`],
  ['StablehloReduceWindowOptions', 'windowDimensions:i64s windowStrides:i64s baseDilations:i64s windowDilations:i64s padding:i64s bodySubgraphIndex:i32'],
  ['StablehloSortOptions', 'dimension:i64 isStable:bool comparatorSubgraphIndex:i32'],
  ['StablehloWhileOptions', 'condSubgraphIndex:i32 bodySubgraphIndex:i32'],
  ['StablehloGatherOptions', 'offsetDims:i64s collapsedSliceDims:i64s startIndexMap:i64s indexVectorDim:i64 sliceSizes:i64s indicesAreSorted:bool'],
  ['StablehloTransposeOptions', 'permutation:i64s'],
  ['DilateOptions', ''],
  ['StablehloRngBitGeneratorOptions', 'algorithm:enum(DEFAULT|PHILOX|THREEFRY)'],
  ['ReduceWindowOptions', 'reduceFunction:enum32(UNSUPPORTED|ADD|MUL|MINIMUM|MAXIMUM|ALL|ANY)'],
  ['StableHLOCompositeOptions', 'name:str decompositionSubgraphIndex:i32 compositeAttributes:u8s compositeAttributesFormat:enum(FLEXBUFFERS) version:i32'],
  ['StablehloShiftLeftOptions', ''],
  ['StablehloCaseOptions', 'branchSubgraphIndices:i32s'],
];

export interface FieldSpec {
  key: string;
  kind: string;
  /** Enum member names, for the enum kinds. */
  names: readonly string[];
  fallback: number | boolean;
}

export interface OptionsTable {
  name: string;
  /** 1 for `builtin_options`, 2 for `builtin_options_2`. */
  union: 1 | 2;
  /** The union's type tag. */
  tag: number;
  /** One entry per schema slot; undefined for a deprecated slot. */
  fields: readonly (FieldSpec | undefined)[];
}

function parseFields(spec: string): (FieldSpec | undefined)[] {
  return spec
    .split(' ')
    .filter((word) => word !== '')
    .map((word) => {
      if (word === '-') return undefined;
      const match = /^(\w+):(\w+)(?:\(([^)]*)\))?(?:=(\w+))?$/.exec(word);
      if (!match) throw new Error(`bad options field spec '${word}'`);
      const [, key, kind, names, fallback] = match;
      const value = fallback === undefined ? (kind === 'bool' ? false : 0) : fallback === 'true' ? true : Number(fallback);
      return { key, kind, names: names ? names.split('|') : [], fallback: value };
    });
}

const TABLES: readonly OptionsTable[] = [
  ...BUILTIN_OPTIONS.map(([name, spec], i): OptionsTable => ({ name, union: 1, tag: i + 1, fields: parseFields(spec) })),
  ...BUILTIN_OPTIONS_2.map(([name, spec], i): OptionsTable => ({ name, union: 2, tag: i + 1, fields: parseFields(spec) })),
];

const BY_NAME = new Map(TABLES.map((t) => [t.name.toLowerCase(), t]));

/** Ops whose options table is not named after the op (schema.fbs comments and TFLite's parser). */
const OPTIONS_OF: Readonly<Record<string, string>> = {
  AVERAGE_POOL_2D: 'Pool2DOptions',
  MAX_POOL_2D: 'Pool2DOptions',
  L2_POOL_2D: 'Pool2DOptions',
  L2_NORMALIZATION: 'L2NormOptions',
  UNIDIRECTIONAL_SEQUENCE_RNN: 'SequenceRNNOptions',
  MEAN: 'ReducerOptions',
  SUM: 'ReducerOptions',
  REDUCE_PROD: 'ReducerOptions',
  REDUCE_MAX: 'ReducerOptions',
  REDUCE_MIN: 'ReducerOptions',
  REDUCE_ANY: 'ReducerOptions',
  REDUCE_ALL: 'ReducerOptions',
  MAXIMUM: 'MaximumMinimumOptions',
  MINIMUM: 'MaximumMinimumOptions',
  CONV_3D_TRANSPOSE: 'Conv3DOptions',
  RANDOM_STANDARD_NORMAL: 'RandomOptions',
  RANDOM_UNIFORM: 'RandomOptions',
  MULTINOMIAL: 'RandomOptions',
  TOPK_V2: 'TopKV2Options',
};

/** Ops that have no options table in schema.fbs although a table of a similar name exists. */
const NO_OPTIONS = new Set(['LOGISTIC', 'TANH', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'ELU', 'PRELU', 'ROUND', 'SIN', 'LOG', 'SQRT', 'RSQRT', 'FLOOR']);

/** The options table an op's builtin options are stored in, or undefined when it has none. */
export function optionsTableOf(opType: string): OptionsTable | undefined {
  if (NO_OPTIONS.has(opType)) return undefined;
  const name = OPTIONS_OF[opType] ?? `${opType.replace(/_/g, '')}Options`;
  return BY_NAME.get(name.toLowerCase());
}

/** Every options table (for tests). */
export function allOptionsTables(): readonly OptionsTable[] {
  return TABLES;
}
