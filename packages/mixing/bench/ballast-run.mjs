// Runs the Ballast adapter in its own process so that the bench measures its wall time and peak RSS
// apart from the bench's own. usage: node ballast-run.mjs '<runBallast options as JSON>'
import { runBallast } from './ballast-adapter.mjs';

const result = await runBallast(JSON.parse(process.argv[2]));
process.stdout.write(`${JSON.stringify(result)}\n`);
