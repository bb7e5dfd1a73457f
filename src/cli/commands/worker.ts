import { availableParallelism } from 'node:os';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { usageError } from '../io.js';
import { work } from '../queue/work.js';

const whole = (flag: string, value: string | undefined, fallback: number, min: number) => {
  if (value === undefined) return fallback;
  if (!/^\d{1,7}$/.test(value) || Number(value) < min)
    throw usageError(
      `${flag} "${value}" is not a whole number of at least ${min}`,
      'run "docprov worker --help"',
    );
  return Number(value);
};

export const workerCommand: Command = {
  name: 'worker',
  help: `Usage: docprov worker -o OUT [--concurrency N] [--until-empty] [--lock-ms MS] [--trust R]

Builds the documents of the queue (docprov queue add) into OUT/<name>/, as docprov build does:
each folder published whole, crash-safely, with its inputs recorded beside it. Any number of
workers, on any number of machines, share the queue through DOCPROV_REDIS_URL; on several
machines OUT is one shared folder (NFS or alike) and every worker runs the same docprov with
the same DOCPROV_SIGNING_KEY/_CERT and DOCPROV_TSA_URL. A job whose worker dies (kill -9, a
power cut) is built by another once its lock expires; a folder that already holds the job's
build is kept. Bad sources fail their own job with the error docprov build gives, once; other
failures are tried three times. Each publication is recorded in OUT/ledger.jsonl, one writer at
a time across all workers.

Options:
  -o, --out OUT        the output folder (required)
  --concurrency N      documents at once, each on its own thread (default: one a core)
  --until-empty        stop once the queue is empty (else run until SIGTERM or Ctrl-C)
  --lock-ms MS         a job's lock: a dead worker's job is retried after this (default 30000)
  --trust ROOT.pem     a root the self-check may end chains at (repeatable)
  --help               show this help

Exit: 0 stopped (failed jobs stay in the queue: docprov queue status), 2 could not run.
`,
  async run(args, io) {
    const { values, positionals } = parse('worker', args, {
      out: { type: 'string', short: 'o' },
      concurrency: { type: 'string' },
      'until-empty': { type: 'boolean' },
      'lock-ms': { type: 'string' },
      trust: { type: 'string', multiple: true },
    });
    if (positionals.length !== 0 || !values.out)
      throw usageError('worker takes -o OUT and no other argument', 'run "docprov worker --help"');
    return work(values.out, io, {
      concurrency: whole('--concurrency', values.concurrency, availableParallelism(), 1),
      untilEmpty: !!values['until-empty'],
      lockMs: whole('--lock-ms', values['lock-ms'], 30_000, 1000),
      trust: values.trust ?? [],
    });
  },
};
