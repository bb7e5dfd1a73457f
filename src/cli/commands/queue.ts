import { parse } from '../args.js';
import type { Command } from '../command.js';
import { usageError } from '../io.js';
import { enqueue } from '../queue/enqueue.js';
import { queueStatus } from '../queue/status.js';

export const queueCommand: Command = {
  name: 'queue',
  help: `Usage: docprov queue add SOURCES [--release] [--json]
       docprov queue status [--json]
       docprov queue retry

The build queue, for an archive past one machine: BullMQ on the Redis named by DOCPROV_REDIS_URL
(e.g. redis://127.0.0.1:6379), shared by any number of "docprov worker" processes on any number
of machines.

  add SOURCES   one job a document of SOURCES (a folder of source folders, or one source folder).
                The job id is the folder's name and the digest of its build inputs (its sources,
                the fonts, docprov's code, the signing certificate, SOURCE_DATE_EPOCH, the TSA):
                adding the same documents twice adds nothing. A job carries its sources: workers
                need only the output folder. Adding needs DOCPROV_SIGNING_CERT (or the development
                keys), never the private key.
  status        how many jobs wait, run, are done or failed; each failed job with its error.
  retry         puts the failed jobs back (after a worker's configuration was fixed).

Options:
  --release     the jobs are releases: workers sign with the publisher key only, time-stamped
  --json        print the result as JSON
  --help        show this help

Exit: 0 done, 1 a document could not be added (status: a job has failed), 2 could not run.
`,
  async run(args, io) {
    const { values, positionals } = parse('queue', args, {
      json: { type: 'boolean' },
      release: { type: 'boolean' },
    });
    const [action, ...rest] = positionals;
    if (action === 'add' && rest.length === 1)
      return enqueue(rest[0]!, io, { json: !!values.json, release: !!values.release });
    if ((action === 'status' || action === 'retry') && rest.length === 0)
      return queueStatus(io, { json: !!values.json, retry: action === 'retry' });
    throw usageError(
      'queue takes "add SOURCES", "status" or "retry"',
      'run "docprov queue --help"',
    );
  },
};
