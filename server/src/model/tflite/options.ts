// Builtin options: the `BuiltinOptions` and `BuiltinOptions2` union tables of an Operator, decoded
// into camelCase records. Each table is described by one line of field specs in schema order, so
// a field's slot is its position (deprecated fields keep their slot as '-').
//
// Field spec: `key:kind` or `key:kind=default`. Kinds: i32 u32 i64 f32 bool, pad (Padding), act
// (ActivationFunctionType), type (TensorType), i32s i64s f32s bools (vectors), u8s (byte view),
// str, enum(A|B) (byte enum), enum32(A|B) (int enum), enums32(A|B) (vector of int enums).

import type { OptionValue } from '../graph';
import type { Table } from './flatbuffer';
import { tensorTypeName } from './tensorTypes';

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

interface FieldSpec {
  key: string;
  kind: string;
  /** Enum member names, for the enum kinds. */
  names: readonly string[];
  fallback: number | boolean;
}

interface OptionsSpec {
  name: string;
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

function parseTable(list: readonly (readonly [string, string])[]): OptionsSpec[] {
  return list.map(([name, spec]) => ({ name, fields: parseFields(spec) }));
}

const SPECS_1 = parseTable(BUILTIN_OPTIONS);
const SPECS_2 = parseTable(BUILTIN_OPTIONS_2);

function enumName(names: readonly string[], value: number): string {
  return names[value] ?? `UNKNOWN_${value}`;
}

function readField(table: Table, slot: number, field: FieldSpec): OptionValue | undefined {
  const { key, kind, names, fallback } = field;
  const n = typeof fallback === 'number' ? fallback : 0;
  switch (kind) {
    case 'i32':
      return table.int32(slot, key, n);
    case 'u32':
      return table.uint32(slot, key, n);
    case 'i64':
      return table.int64(slot, key, n);
    case 'f32':
      return table.float32(slot, key, n);
    case 'bool':
      return table.bool(slot, key, fallback === true);
    case 'type':
      return tensorTypeName(table.int8(slot, key, n));
    case 'enum':
      return enumName(names, table.int8(slot, key, n));
    case 'enum32':
      return enumName(names, table.int32(slot, key, n));
    case 'enums32':
      return table.uint32s(slot, key)?.map((v) => enumName(names, v));
    case 'i32s':
      return table.int32s(slot, key);
    case 'i64s':
      return table.int64s(slot, key);
    case 'f32s':
      return table.float32s(slot, key);
    case 'bools':
      return table.uint8s(slot, key)?.map((v) => (v !== 0 ? 1 : 0));
    case 'u8s':
      return table.bytes(slot, key);
    case 'str':
      return table.string(slot, key);
    default:
      throw new Error(`unhandled options field kind '${kind}'`);
  }
}

function decode(spec: OptionsSpec | undefined, table: Table, into: Record<string, OptionValue>): void {
  if (!spec) return; // An options table this reader does not know: the op keeps empty options.
  spec.fields.forEach((field, slot) => {
    if (!field) return;
    const value = readField(table, slot, field);
    if (value !== undefined) into[field.key] = value;
  });
}

/** Name of a `BuiltinOptions` union member by its type tag (for messages and tests). */
export function builtinOptionsName(type: number): string | undefined {
  return SPECS_1[type - 1]?.name;
}

/** Decodes both options unions of an operator table into one record. */
export function decodeBuiltinOptions(
  options: { type: number; table: Table } | undefined,
  options2: { type: number; table: Table } | undefined,
): Record<string, OptionValue> {
  const out: Record<string, OptionValue> = {};
  if (options) decode(SPECS_1[options.type - 1], options.table, out);
  if (options2) decode(SPECS_2[options2.type - 1], options2.table, out);
  return out;
}
