// The TF.js → ONNX converter on small hand-made graphs: mapped ops run right, unknown ops are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { convertTfjsToOnnx } from '../../build/models/tfjsToOnnx.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** Writes a graph model whose int32/float32 constants are given inline. */
function writeGraph(nodes: object[], weights: { name: string; shape: number[]; dtype: 'int32' | 'float32'; values: number[] }[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tfjs-graph-'));
  const bin = Buffer.concat(weights.map((w) => Buffer.from((w.dtype === 'int32' ? new Int32Array(w.values) : new Float32Array(w.values)).buffer)));
  fs.writeFileSync(path.join(dir, 'w.bin'), bin);
  const model = { format: 'graph-model', modelTopology: { node: nodes }, weightsManifest: [{ paths: ['w.bin'], weights: weights.map(({ values: _v, ...w }) => w) }] };
  fs.writeFileSync(path.join(dir, 'model.json'), JSON.stringify(model));
  return path.join(dir, 'model.json');
}

const placeholder = { name: 'x', op: 'Placeholder', attr: { shape: { shape: { dim: [{ size: '-1' }, { size: '4' }, { size: '3' }] } } } };
const konst = (name: string) => ({ name, op: 'Const' });

describe('TF.js → ONNX converter', () => {
  it('maps StridedSlice masks, reflection padding, reductions and DivNoNan like TensorFlow', async () => {
    const file = writeGraph(
      [
        placeholder,
        konst('b'), konst('e'), konst('s'), konst('p'), konst('ax'),
        // x[:, 1:, ::2] with a new axis after the batch: shape [B, 1, 3, 2]
        { name: 'slice', op: 'StridedSlice', input: ['x', 'b', 'e', 's'], attr: { begin_mask: { i: '9' }, end_mask: { i: '13' }, new_axis_mask: { i: '2' }, shrink_axis_mask: { i: '0' }, ellipsis_mask: { i: '0' } } },
        { name: 'pad', op: 'MirrorPad', input: ['slice', 'p'], attr: { mode: { s: b64('REFLECT') } } },
        { name: 'mx', op: 'Max', input: ['pad', 'ax'], attr: { keep_dims: { b: true } } },
        { name: 'div', op: 'DivNoNan', input: ['pad', 'mx'] },
        { name: 'out', op: 'Identity', input: ['div'] },
      ],
      [
        { name: 'b', shape: [4], dtype: 'int32', values: [0, 0, 1, 0] },
        { name: 'e', shape: [4], dtype: 'int32', values: [0, 0, 0, 0] },
        { name: 's', shape: [4], dtype: 'int32', values: [1, 1, 1, 2] },
        { name: 'p', shape: [4, 2], dtype: 'int32', values: [0, 0, 0, 0, 0, 0, 1, 1] },
        { name: 'ax', shape: [1], dtype: 'int32', values: [3] },
      ],
    );
    const bytes = convertTfjsToOnnx(file, { inputName: 'x', outputs: [{ tfName: 'out', onnxName: 'y', dims: [-1, 1, 3, 4] }], producer: 't', docString: '' });
    const session = await ort.InferenceSession.create(bytes);
    // Batch of 2; the second example is all zeros, so DivNoNan must give 0 there, not NaN.
    const x = new Float32Array(24);
    for (let i = 0; i < 12; i++) x[i] = i + 1;
    const y = (await session.run({ x: new ort.Tensor('float32', x, [2, 4, 3]) })).y!;
    expect(y.dims).toEqual([2, 1, 3, 4]);
    // Example 0, rows 1..3, columns 0 and 2: [4,6],[7,9],[10,12] → reflect-padded [6,4,6,4], … → ÷ row max.
    expect(Array.from(y.data as Float32Array).slice(0, 12)).toEqual([1, 4 / 6, 1, 4 / 6, 1, 7 / 9, 1, 7 / 9, 1, 10 / 12, 1, 10 / 12].map(Math.fround));
    expect(Array.from(y.data as Float32Array).slice(12)).toEqual(new Array(12).fill(0));
  });

  it('refuses an op it has no mapping for, naming it', () => {
    const file = writeGraph([placeholder, { name: 'fft', op: 'RFFT', input: ['x'] }], []);
    expect(() => convertTfjsToOnnx(file, { inputName: 'x', outputs: [], producer: 't', docString: '' })).toThrow(/TensorFlow op RFFT \(node fft\) has no ONNX mapping/);
  });
});
