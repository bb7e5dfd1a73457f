import { DocprovError } from '../../core/errors.js';
import { ckr, type Binding, type Handle, type Pkcs11Module } from './binding.js';

// One loaded module and its sessions per process: opened on first use, closed once, whatever
// ends the process (the command's own finally, a normal exit, or SIGINT/SIGTERM/SIGHUP, after
// which the signal is raised again so that the process still ends as the signal says).

interface LoadedModule {
  mod: Pkcs11Module;
  /** False when something else in this process had already initialised the library. */
  finalize: boolean;
  sessions: Set<Handle>;
}

const modules = new Map<string, LoadedModule>();
const opened = new Map<string, unknown>();

/** What `make` opens for `key`, made once per process (until closeTokens). */
export function once<T>(key: string, make: () => T): T {
  if (!opened.has(key)) opened.set(key, make());
  return opened.get(key) as T;
}
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
const onSignal = (signal: NodeJS.Signals) => {
  closeTokens();
  process.kill(process.pid, signal);
};
const handlers = new Map<NodeJS.Signals, () => void>();

const CKR_CRYPTOKI_ALREADY_INITIALIZED = 0x191;

export function pkcs11Failure(call: string, e: unknown, hint?: string): DocprovError {
  const r = ckr(e);
  return new DocprovError(
    'pkcs11-error',
    `the PKCS#11 module failed in ${call}: ${r ? r.name : e instanceof Error ? e.message : String(e)}`,
    {
      severity: 'unusable',
      hint:
        hint ?? "check the token and the module (the vendor's tools, or pkcs11-tool --list-slots)",
      cause: e,
    },
  );
}

/** Runs one PKCS#11 call, turning its failure into a could-not-run error that names it. */
export function call<T>(name: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw pkcs11Failure(name, e);
  }
}

/** The module at `path`, loaded and initialised once per process. */
export function moduleAt(binding: Binding, path: string): Pkcs11Module {
  const known = modules.get(path);
  if (known) return known.mod;
  const mod = new binding.PKCS11();
  try {
    mod.load(path);
  } catch (e) {
    throw new DocprovError(
      'pkcs11-module-load',
      `${path} cannot be loaded as a PKCS#11 module: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      {
        severity: 'unusable',
        hint: "module-path must name the token vendor's PKCS#11 library (a .so file) for this machine",
        cause: e,
      },
    );
  }
  let finalize = true;
  try {
    mod.C_Initialize();
  } catch (e) {
    if (ckr(e)?.code !== CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      mod.close();
      throw pkcs11Failure('C_Initialize', e);
    }
    finalize = false;
  }
  modules.set(path, { mod, finalize, sessions: new Set() });
  if (handlers.size === 0) {
    process.once('exit', closeTokens);
    for (const s of SIGNALS) {
      const h = () => onSignal(s);
      handlers.set(s, h);
      process.once(s, h);
    }
  }
  return mod;
}

/** Opens a read-only session on `slot`, closed with the module. */
export function openSession(path: string, slot: Handle): Handle {
  const m = modules.get(path)!;
  const CKF_SERIAL_SESSION = 0x4;
  const session = call('C_OpenSession', () => m.mod.C_OpenSession(slot, CKF_SERIAL_SESSION));
  m.sessions.add(session);
  return session;
}

/** Logs out, closes every session and finalises every module this process opened. Idempotent. */
export function closeTokens(): void {
  opened.clear();
  for (const [path, m] of modules) {
    modules.delete(path);
    // Best effort, in order: a failure to log out must not keep the session or library open.
    for (const s of m.sessions) {
      try {
        m.mod.C_Logout(s);
      } catch {
        /* not logged in, or already out */
      }
      try {
        m.mod.C_CloseSession(s);
      } catch {
        /* already closed */
      }
    }
    try {
      if (m.finalize) m.mod.C_Finalize();
    } catch {
      /* already finalised */
    }
    try {
      m.mod.close();
    } catch {
      /* already unloaded */
    }
  }
  for (const [s, h] of handlers) process.removeListener(s, h);
  handlers.clear();
  process.removeListener('exit', closeTokens);
}
