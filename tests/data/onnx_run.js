// Runs ONNX models in ONNX Runtime (npm onnxruntime-node, CPU) on inputs from files and writes
// the outputs: the other side of NetLoom's ONNX parity tests.
//   node onnx_run.js ORT_DIR JOBS.json
// ORT_DIR holds node_modules/onnxruntime-node (scripts/install_onnxruntime.sh). JOBS.json is a
// list of {"model", "input", "dims", "output"}: input is raw little-endian float32 of shape dims
// ([4,1,28,28]); the model's first output is written to output as float32 and its dims to
// output + ".json". One process for every job: loading the runtime costs more than a small run.
const path = require('path');
const fs = require('fs');

async function main() {
  const [ortDir, jobsFile] = process.argv.slice(2);
  if (!jobsFile) throw new Error('usage: onnx_run.js ORT_DIR JOBS.json');
  const ort = require(path.join(path.resolve(ortDir), 'node_modules', 'onnxruntime-node'));
  const jobs = JSON.parse(fs.readFileSync(jobsFile, 'utf8'));
  for (const job of jobs) {
    try {
      const bytes = fs.readFileSync(job.input);
      const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      const session = await ort.InferenceSession.create(job.model, { intraOpNumThreads: 1 });
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, job.dims) };
      const results = await session.run(feeds);
      const out = results[session.outputNames[0]];
      fs.writeFileSync(job.output, Buffer.from(out.data.buffer, out.data.byteOffset, out.data.byteLength));
      fs.writeFileSync(job.output + '.json', JSON.stringify(out.dims));
    } catch (e) {
      throw new Error(job.model + ': ' + (e && e.message ? e.message : e));
    }
  }
}

main().catch((e) => {
  process.stderr.write('onnx_run: ' + (e && e.message ? e.message : e) + '\n');
  process.exit(1);
});
