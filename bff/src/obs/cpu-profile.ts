import fs from 'node:fs';
import inspector from 'node:inspector';
import path from 'node:path';
import type { Logger } from './log';

/**
 * On-demand CPU profile of a running process (MIP_CPU_PROFILE_DIR set): the first SIGUSR2
 * starts V8's sampling profiler, the next writes `<dir>/bff-<pid>-<time>.cpuprofile` (open it
 * in Chrome DevTools, or `npx tsx bench/cpu-profile.ts <file>`). The flow bench uses it to
 * profile only its timed phase. Without the variable the signal is left alone.
 */
export function profileOnSignal(dir: string | undefined, log: Pick<Logger, 'info' | 'warn'>): void {
  if (!dir) return;
  let session: inspector.Session | undefined;
  process.on('SIGUSR2', () => {
    if (!session) {
      const s = new inspector.Session();
      session = s;
      s.connect();
      s.post('Profiler.enable', () => s.post('Profiler.start', () => log.info({ dir }, 'CPU profile started')));
      return;
    }
    const s = session;
    session = undefined;
    s.post('Profiler.stop', (err, res) => {
      if (err) log.warn({ err: err.message }, 'CPU profile failed');
      else {
        const file = path.join(dir, `bff-${process.pid}-${Date.now()}.cpuprofile`);
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(file, JSON.stringify(res.profile));
        log.info({ file }, 'CPU profile written');
      }
      s.disconnect();
    });
  });
}
