// Converts a TensorFlow.js graph model (model.json + weight shards) to an ONNX model, op by op.
// Covers the TensorFlow ops Basic Pitch's graph uses (see TF_OPS below); any other op is refused
// with its name, so a new graph never converts silently wrong. Output is deterministic: the same
// model.json and weights give the same bytes (no timestamps, nodes in graph order).
import fs from 'node:fs';
import path from 'node:path';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** The TensorFlow ops this converter maps, with the ONNX ops each becomes. */
export const TF_OPS: Record<string, string> = {
  Placeholder: 'graph input',
  Const: 'initializer (or a conversion-time constant for shapes, axes, paddings, permutations)',
  Identity: 'Identity',
  Shape: 'Shape',
  StridedSlice: 'Slice (+ Squeeze for shrink_axis_mask, Unsqueeze for new_axis_mask)',
  Pack: 'Unsqueeze + Concat',
  Reshape: 'Reshape',
  Pad: 'Pad (constant)',
  MirrorPad: 'Pad (reflect)',
  Transpose: 'Transpose',
  ExpandDims: 'Unsqueeze',
  Squeeze: 'Squeeze',
  Conv2D: 'Transpose (NHWC→NCHW) + Conv + Transpose (NCHW→NHWC)',
  _FusedConv2D: 'Transpose + Conv (with bias) [+ Relu] + Transpose',
  Neg: 'Neg',
  ConcatV2: 'Concat',
  Mul: 'Mul',
  Square: 'Mul (x·x)',
  Sum: 'ReduceSum',
  Sqrt: 'Sqrt',
  AddV2: 'Add',
  Add: 'Add',
  Sub: 'Sub',
  Log: 'Log',
  Min: 'ReduceMin',
  Max: 'ReduceMax',
  DivNoNan: 'Div + Equal + Where (0 where the divisor is 0)',
  Sigmoid: 'Sigmoid',
};

const OPSET = 17;
const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

interface TfAttr {
  i?: string;
  f?: number;
  s?: string;
  b?: boolean;
  type?: string;
  list?: { i?: string[]; s?: string[]; f?: number[] };
  shape?: { dim?: { size: string }[] };
}

interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, TfAttr>;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  quantization?: unknown;
}

export interface TfjsModelJson {
  format: string;
  modelTopology: { node: TfNode[] };
  weightsManifest: { paths: string[]; weights: WeightSpec[] }[];
  signature?: unknown;
}

interface ConstValue {
  dtype: 'float32' | 'int32';
  shape: number[];
  data: Float32Array | Int32Array;
}

export interface ConvertOptions {
  /** Graph output renames: TF node name → ONNX output name, in output order. */
  outputs: { tfName: string; onnxName: string; dims: number[] }[];
  /** ONNX name of the (single) graph input; its TF shape is taken from the Placeholder, −1 → 'batch'. */
  inputName: string;
  producer: string;
  docString: string;
}

/** Reads model.json and its weight shards into typed constants keyed by node name. */
export function readTfjsModel(modelJsonPath: string): { model: TfjsModelJson; consts: Map<string, ConstValue> } {
  const model = JSON.parse(fs.readFileSync(modelJsonPath, 'utf8')) as TfjsModelJson;
  if (model.format !== 'graph-model') throw new Error(`${modelJsonPath}: not a TF.js graph model (format ${model.format})`);
  const consts = new Map<string, ConstValue>();
  for (const group of model.weightsManifest) {
    const buffers = group.paths.map((p) => fs.readFileSync(path.join(path.dirname(modelJsonPath), p)));
    const all = Buffer.concat(buffers);
    let offset = 0;
    for (const w of group.weights) {
      if (w.quantization) throw new Error(`weight ${w.name}: quantised weights are not supported`);
      const count = w.shape.reduce((a, b) => a * b, 1);
      const bytes = all.subarray(offset, offset + count * 4);
      offset += count * 4;
      const copy = new ArrayBuffer(count * 4);
      new Uint8Array(copy).set(bytes);
      const data = w.dtype === 'float32' ? new Float32Array(copy) : w.dtype === 'int32' ? new Int32Array(copy) : null;
      if (!data) throw new Error(`weight ${w.name}: dtype ${String(w.dtype)} not supported`);
      consts.set(w.name, { dtype: w.dtype, shape: w.shape, data });
    }
    if (offset !== all.length) throw new Error(`weights manifest does not match the shard sizes (${offset} vs ${all.length} bytes)`);
  }
  return { model, consts };
}

/** Counts the ops of a graph (what `convert-basic-pitch` lists before converting). */
export function listOps(model: TfjsModelJson): Record<string, number> {
  const ops: Record<string, number> = {};
  for (const n of model.modelTopology.node) ops[n.op] = (ops[n.op] ?? 0) + 1;
  return ops;
}

const decodeS = (s: string | undefined): string => (s === undefined ? '' : Buffer.from(s, 'base64').toString('utf8'));
const ints = (a: TfAttr | undefined): number[] => (a?.list?.i ?? []).map((v) => Number(v));
const tensorName = (input: string): string => input.replace(/:0$/, '');

type NodeProto = InstanceType<typeof onnx.NodeProto>;
type TensorProto = InstanceType<typeof onnx.TensorProto>;

/** Builds the ONNX graph from a TF.js graph model. */
export function convertTfjsToOnnx(modelJsonPath: string, opts: ConvertOptions): Uint8Array {
  const { model, consts } = readTfjsModel(modelJsonPath);
  const nodes = model.modelTopology.node;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  for (const n of nodes) {
    if (!(n.op in TF_OPS)) throw new Error(`TensorFlow op ${n.op} (node ${n.name}) has no ONNX mapping`);
    if (n.op === 'Const' && !consts.has(n.name)) throw new Error(`Const ${n.name} has no weights`);
  }

  const onnxNodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  const initializerNames = new Set<string>();
  /** Rank of every tensor; for 1-D int tensors built from scalars, also their static length. */
  const rank = new Map<string, number>();
  let counter = 0;
  const fresh = (base: string): string => `${base}__${counter++}`;

  const addNode = (opType: string, inputs: string[], outputs: string[], name: string, attrs: InstanceType<typeof onnx.AttributeProto>[] = []): void => {
    onnxNodes.push(onnx.NodeProto.create({ opType, input: inputs, output: outputs, name, attribute: attrs }));
  };
  const attrInts = (name: string, v: number[]) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });
  const attrInt = (name: string, v: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v });
  const attrStr = (name: string, v: string) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.STRING, s: Buffer.from(v, 'utf8') });

  const addInitializer = (name: string, dims: number[], data: Float32Array | bigint[]): string => {
    if (initializerNames.has(name)) return name;
    initializerNames.add(name);
    if (data instanceof Float32Array) {
      const raw = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, rawData: Buffer.from(raw) }));
    } else {
      const raw = Buffer.alloc(data.length * 8);
      data.forEach((v, i) => raw.writeBigInt64LE(v, i * 8));
      initializers.push(onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.INT64, rawData: raw }));
    }
    rank.set(name, dims.length);
    return name;
  };
  const int64Const = (base: string, values: (number | bigint)[]): string =>
    addInitializer(fresh(base), [values.length], values.map((v) => BigInt(v)));

  const constOf = (input: string): ConstValue => {
    const name = tensorName(input);
    const node = byName.get(name);
    const c = consts.get(name);
    if (!node || node.op !== 'Const' || !c) throw new Error(`expected a constant for ${input}`);
    return c;
  };
  const constInts = (input: string): number[] => Array.from(constOf(input).data, (v) => Number(v));

  /** A Const used as data: float stays float32; int32 becomes int64 (ONNX shape maths is int64). */
  const dataInput = (input: string): string => {
    const name = tensorName(input);
    const node = byName.get(name);
    if (node?.op === 'Const') {
      const c = consts.get(name)!;
      if (c.dtype === 'float32') return addInitializer(name, c.shape, c.data as Float32Array);
      return addInitializer(name, c.shape, Array.from(c.data, (v) => BigInt(v)));
    }
    if (!rank.has(name)) throw new Error(`tensor ${name} used before it is produced`);
    return name;
  };
  const rankOf = (t: string): number => {
    const r = rank.get(t);
    if (r === undefined) throw new Error(`unknown rank of ${t}`);
    return r;
  };

  const graphInputs: InstanceType<typeof onnx.ValueInfoProto>[] = [];

  for (const n of nodes) {
    const out = n.name;
    const inputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
    const a = n.attr ?? {};
    switch (n.op) {
      case 'Const':
        break; // emitted lazily by dataInput, or read at conversion time
      case 'Placeholder': {
        const dims = (a.shape?.shape?.dim ?? []).map((d) => Number(d.size));
        graphInputs.push(valueInfo(opts.inputName, dims));
        if (opts.inputName !== out) addNode('Identity', [opts.inputName], [out], out);
        rank.set(out, dims.length);
        break;
      }
      case 'Identity': {
        const x = dataInput(inputs[0]!);
        addNode('Identity', [x], [out], out);
        rank.set(out, rankOf(x));
        break;
      }
      case 'Shape': {
        const x = dataInput(inputs[0]!);
        addNode('Shape', [x], [out], out);
        rank.set(out, 1);
        break;
      }
      case 'StridedSlice': {
        const x = dataInput(inputs[0]!);
        const begin = constInts(inputs[1]!);
        const end = constInts(inputs[2]!);
        const strides = constInts(inputs[3]!);
        const bm = Number(a.begin_mask?.i ?? 0);
        const em = Number(a.end_mask?.i ?? 0);
        const nm = Number(a.new_axis_mask?.i ?? 0);
        const sm = Number(a.shrink_axis_mask?.i ?? 0);
        if (Number(a.ellipsis_mask?.i ?? 0) !== 0) throw new Error(`${out}: ellipsis_mask not supported`);
        const starts: bigint[] = [], ends: bigint[] = [], axes: number[] = [], steps: number[] = [];
        const squeezeAxes: number[] = [];
        const newAxes: number[] = [];
        let inDim = 0;
        let outPos = 0;
        for (let i = 0; i < begin.length; i++) {
          const bit = 1 << i;
          if (nm & bit) { newAxes.push(outPos++); continue; }
          const s = strides[i]!;
          if (sm & bit) {
            const b = begin[i]!;
            starts.push(BigInt(b)); ends.push(b === -1 ? INT64_MAX : BigInt(b + 1)); axes.push(inDim); steps.push(1);
            squeezeAxes.push(inDim);
          } else {
            const b = bm & bit ? (s > 0 ? 0n : INT64_MAX) : BigInt(begin[i]!);
            const e = em & bit ? (s > 0 ? INT64_MAX : INT64_MIN) : BigInt(end[i]!);
            if (!(b === 0n && e === INT64_MAX && s === 1)) { starts.push(b); ends.push(e); axes.push(inDim); steps.push(s); }
            outPos++;
          }
          inDim++;
        }
        const inRank = rankOf(x);
        outPos += inRank - inDim;
        let cur = x;
        if (axes.length > 0) {
          const sliced = squeezeAxes.length || newAxes.length ? fresh(out) : out;
          addNode('Slice', [cur, int64Const(`${out}/starts`, starts), int64Const(`${out}/ends`, ends), int64Const(`${out}/axes`, axes), int64Const(`${out}/steps`, steps)], [sliced], `${out}/Slice`);
          cur = sliced;
        }
        if (squeezeAxes.length) {
          const sq = newAxes.length ? fresh(out) : out;
          addNode('Squeeze', [cur, int64Const(`${out}/squeeze_axes`, squeezeAxes)], [sq], `${out}/Squeeze`);
          cur = sq;
        }
        if (newAxes.length) {
          addNode('Unsqueeze', [cur, int64Const(`${out}/unsqueeze_axes`, newAxes)], [out], `${out}/Unsqueeze`);
          cur = out;
        }
        if (cur !== out) addNode('Identity', [cur], [out], out);
        rank.set(out, outPos);
        break;
      }
      case 'Pack': {
        const axis = Number(a.axis?.i ?? 0);
        const parts = inputs.map((i) => dataInput(i));
        const r = rankOf(parts[0]!) + 1;
        const expanded = parts.map((p, k) => {
          const e = fresh(`${out}/in${k}`);
          addNode('Unsqueeze', [p, int64Const(`${out}/axes`, [axis])], [e], `${out}/Unsqueeze${k}`);
          return e;
        });
        addNode('Concat', expanded, [out], out, [attrInt('axis', axis)]);
        rank.set(out, r);
        break;
      }
      case 'Reshape': {
        const x = dataInput(inputs[0]!);
        const shapeNode = byName.get(tensorName(inputs[1]!));
        let shape: string;
        let r: number;
        if (shapeNode?.op === 'Const') {
          const s = constInts(inputs[1]!);
          shape = int64Const(`${out}/shape`, s);
          r = s.length;
        } else if (shapeNode?.op === 'Pack') {
          shape = dataInput(inputs[1]!);
          r = (shapeNode.input ?? []).filter((i) => !i.startsWith('^')).length;
        } else throw new Error(`${out}: Reshape needs a constant or packed shape`);
        addNode('Reshape', [x, shape], [out], out);
        rank.set(out, r);
        break;
      }
      case 'Pad':
      case 'MirrorPad': {
        const x = dataInput(inputs[0]!);
        const p = constInts(inputs[1]!);
        const r = p.length / 2;
        const pads = [...Array.from({ length: r }, (_, i) => p[2 * i]!), ...Array.from({ length: r }, (_, i) => p[2 * i + 1]!)];
        const mode = n.op === 'Pad' ? 'constant' : decodeS(a.mode?.s) === 'REFLECT' ? 'reflect' : null;
        if (!mode) throw new Error(`${out}: MirrorPad mode ${decodeS(a.mode?.s)} not supported`);
        addNode('Pad', [x, int64Const(`${out}/pads`, pads)], [out], out, [attrStr('mode', mode)]);
        rank.set(out, r);
        break;
      }
      case 'Transpose': {
        const x = dataInput(inputs[0]!);
        const perm = constInts(inputs[1]!);
        addNode('Transpose', [x], [out], out, [attrInts('perm', perm)]);
        rank.set(out, perm.length);
        break;
      }
      case 'ExpandDims': {
        const x = dataInput(inputs[0]!);
        const dim = constInts(inputs[1]!)[0]!;
        addNode('Unsqueeze', [x, int64Const(`${out}/axes`, [dim])], [out], out);
        rank.set(out, rankOf(x) + 1);
        break;
      }
      case 'Squeeze': {
        const x = dataInput(inputs[0]!);
        const dims = ints(a.squeeze_dims);
        if (dims.length === 0) throw new Error(`${out}: Squeeze without explicit dims is not supported`);
        addNode('Squeeze', [x, int64Const(`${out}/axes`, dims)], [out], out);
        rank.set(out, rankOf(x) - dims.length);
        break;
      }
      case 'Conv2D':
      case '_FusedConv2D': {
        if (decodeS(a.data_format?.s) !== 'NHWC') throw new Error(`${out}: only NHWC convolutions are supported`);
        const x = dataInput(inputs[0]!);
        const w = constOf(inputs[1]!);
        const [kh, kw, cin, cout] = w.shape as [number, number, number, number];
        // HWIO → OIHW
        const wData = w.data as Float32Array;
        const oihw = new Float32Array(wData.length);
        for (let h = 0; h < kh; h++) for (let ww = 0; ww < kw; ww++) for (let i = 0; i < cin; i++) for (let o = 0; o < cout; o++) {
          oihw[((o * cin + i) * kh + h) * kw + ww] = wData[((h * kw + ww) * cin + i) * cout + o]!;
        }
        const wName = addInitializer(`${tensorName(inputs[1]!)}__oihw`, [cout, cin, kh, kw], oihw);
        const strides = ints(a.strides);
        const dilations = ints(a.dilations);
        const padding = decodeS(a.padding?.s);
        const convInputs = [fresh(`${out}/nchw`), wName];
        let relu = false;
        if (n.op === '_FusedConv2D') {
          const fused = (a.fused_ops?.list?.s ?? []).map(decodeS);
          if (fused[0] !== 'BiasAdd' || fused.length > 2 || (fused[1] !== undefined && fused[1] !== 'Relu') || Number(a.num_args?.i ?? 0) !== 1) {
            throw new Error(`${out}: fused ops ${fused.join('+')} not supported`);
          }
          relu = fused[1] === 'Relu';
          const b = constOf(inputs[2]!);
          convInputs.push(addInitializer(tensorName(inputs[2]!), b.shape, b.data as Float32Array));
        }
        const attrs = [attrInts('strides', [strides[1]!, strides[2]!]), attrInts('dilations', [dilations[1]!, dilations[2]!]), attrInts('kernel_shape', [kh, kw])];
        if (padding === 'SAME') attrs.push(attrStr('auto_pad', 'SAME_UPPER'));
        else if (padding === 'VALID') attrs.push(attrInts('pads', [0, 0, 0, 0]));
        else throw new Error(`${out}: padding ${padding} not supported`);
        addNode('Transpose', [x], [convInputs[0]!], `${out}/to_nchw`, [attrInts('perm', [0, 3, 1, 2])]);
        const convOut = fresh(`${out}/conv`);
        addNode('Conv', convInputs, [convOut], `${out}/Conv`, attrs);
        let last = convOut;
        if (relu) {
          last = fresh(`${out}/relu`);
          addNode('Relu', [convOut], [last], `${out}/Relu`);
        }
        addNode('Transpose', [last], [out], `${out}/to_nhwc`, [attrInts('perm', [0, 2, 3, 1])]);
        rank.set(out, 4);
        break;
      }
      case 'ConcatV2': {
        const axis = constInts(inputs[inputs.length - 1]!)[0]!;
        const parts = inputs.slice(0, -1).map((i) => dataInput(i));
        addNode('Concat', parts, [out], out, [attrInt('axis', axis)]);
        rank.set(out, rankOf(parts[0]!));
        break;
      }
      case 'Neg':
      case 'Sqrt':
      case 'Log':
      case 'Sigmoid': {
        const x = dataInput(inputs[0]!);
        addNode(n.op, [x], [out], out);
        rank.set(out, rankOf(x));
        break;
      }
      case 'Square': {
        const x = dataInput(inputs[0]!);
        addNode('Mul', [x, x], [out], out);
        rank.set(out, rankOf(x));
        break;
      }
      case 'Mul':
      case 'Add':
      case 'AddV2':
      case 'Sub': {
        const x = dataInput(inputs[0]!);
        const y = dataInput(inputs[1]!);
        addNode(n.op === 'AddV2' ? 'Add' : n.op, [x, y], [out], out);
        rank.set(out, Math.max(rankOf(x), rankOf(y)));
        break;
      }
      case 'DivNoNan': {
        const x = dataInput(inputs[0]!);
        const y = dataInput(inputs[1]!);
        const zero = addInitializer(`${out}/zero`, [], new Float32Array([0]));
        const isZero = fresh(`${out}/is_zero`);
        const quotient = fresh(`${out}/div`);
        addNode('Equal', [y, zero], [isZero], `${out}/Equal`);
        addNode('Div', [x, y], [quotient], `${out}/Div`);
        addNode('Where', [isZero, zero, quotient], [out], `${out}/Where`);
        rank.set(out, Math.max(rankOf(x), rankOf(y)));
        break;
      }
      case 'Sum':
      case 'Min':
      case 'Max': {
        const x = dataInput(inputs[0]!);
        const axes = constInts(inputs[1]!);
        const keep = a.keep_dims?.b ? 1 : 0;
        if (n.op === 'Sum') addNode('ReduceSum', [x, int64Const(`${out}/axes`, axes)], [out], out, [attrInt('keepdims', keep)]);
        else addNode(n.op === 'Min' ? 'ReduceMin' : 'ReduceMax', [x], [out], out, [attrInts('axes', axes), attrInt('keepdims', keep)]);
        rank.set(out, keep ? rankOf(x) : rankOf(x) - axes.length);
        break;
      }
      default:
        throw new Error(`TensorFlow op ${n.op} has no ONNX mapping`);
    }
  }

  const graphOutputs = opts.outputs.map(({ tfName, onnxName, dims }) => {
    if (!rank.has(tfName)) throw new Error(`output ${tfName} is not in the graph`);
    if (rankOf(tfName) !== dims.length) throw new Error(`output ${tfName} has rank ${rankOf(tfName)}, expected ${dims.length}`);
    addNode('Identity', [tfName], [onnxName], `output/${onnxName}`);
    return valueInfo(onnxName, dims);
  });

  const graph = onnx.GraphProto.create({
    name: opts.producer,
    node: onnxNodes,
    initializer: initializers,
    input: graphInputs,
    output: graphOutputs,
  });
  const modelProto = onnx.ModelProto.create({
    irVersion: 8,
    producerName: opts.producer,
    producerVersion: '1',
    docString: opts.docString,
    opsetImport: [onnx.OperatorSetIdProto.create({ domain: '', version: OPSET })],
    graph,
  });
  return onnx.ModelProto.encode(modelProto).finish();
}

/** A float tensor value-info; −1 dimensions become named symbolic dimensions. */
function valueInfo(name: string, dims: number[]): InstanceType<typeof onnx.ValueInfoProto> {
  return onnx.ValueInfoProto.create({
    name,
    type: onnx.TypeProto.create({
      tensorType: onnx.TypeProto.Tensor.create({
        elemType: onnx.TensorProto.DataType.FLOAT,
        shape: onnx.TensorShapeProto.create({
          dim: dims.map((d, i) => (d >= 0 ? onnx.TensorShapeProto.Dimension.create({ dimValue: d }) : onnx.TensorShapeProto.Dimension.create({ dimParam: i === 0 ? 'batch' : `d${i}` }))),
        }),
      }),
    }),
  });
}
