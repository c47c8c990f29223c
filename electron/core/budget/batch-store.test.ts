import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { tempDirForTest } from '../test-support/after-test';
import { BATCHES_FILE, openBatchStore } from './batch-store';

describe('batches.json', () => {
  it('is written whole and read back in order, paused and cancelled as they were', async () => {
    const dir = tempDirForTest('soradesk-batches-');
    const a = openBatchStore(dir, silentLogger);
    a.batches.set('b1', { id: 'b1', name: 'one', createdAt: '2026-12-02T10:00:00.000Z', paused: true, cancelled: false, taskIds: ['t3', 't1', 't2'] });
    await a.save();
    expect(fs.statSync(`${dir}/${BATCHES_FILE}`).mode & 0o777).toBe(0o600);
    const b = openBatchStore(dir, silentLogger);
    expect(b.problem).toBeNull();
    expect([...b.batches.values()]).toEqual([{ id: 'b1', name: 'one', createdAt: '2026-12-02T10:00:00.000Z', paused: true, cancelled: false, taskIds: ['t3', 't1', 't2'] }]);
    expect(fs.readdirSync(dir)).toEqual([BATCHES_FILE]);
    await Promise.all([a.close(), b.close()]);
  });

  it('an unreadable file is set aside and said, not lost; the app starts without batches', () => {
    const dir = tempDirForTest('soradesk-batches-');
    fs.writeFileSync(`${dir}/${BATCHES_FILE}`, '{"version":1,"batches":[{"id":');
    const s = openBatchStore(dir, silentLogger);
    expect(s.batches.size).toBe(0);
    expect(s.problem).toMatch(/^The batches file was unreadable .*kept as batches\.json\.corrupt-\d+\. Its tasks are kept, without their batch\.$/);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith(`${BATCHES_FILE}.corrupt-`))!;
    expect(fs.readFileSync(`${dir}/${aside}`, 'utf8')).toBe('{"version":1,"batches":[{"id":');
  });
});
