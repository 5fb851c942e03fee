// `run --instances`: a comma list of positive integers up to 16, and the config's instances list.
import { describe, expect, it } from 'vitest';
import { parseInstances } from '../../src/commands/run.js';
import { configSchema } from '../../src/config/schema.js';

describe('--instances', () => {
  it('parses a comma list, sorted and without duplicates', () => {
    expect(parseInstances('1,2,4,8')).toEqual([1, 2, 4, 8]);
    expect(parseInstances(' 8, 1 ,8')).toEqual([1, 8]);
    expect(parseInstances('16')).toEqual([16]);
  });
  it.each(['', '0', '17', '1,,2', '-1', '2.5', 'a', '1;2', '1e1'])('rejects %j with a usage error naming the flag', (bad) => {
    expect(() => parseInstances(bad)).toThrow(/^--instances: expected a comma list of positive integers up to 16 \(e\.g\. 1,2,4,8\), got /);
  });
});

describe('config instances', () => {
  it('defaults to no density step', () => {
    expect(configSchema.parse({}).instances).toEqual([]);
  });
  it('rejects more than 16 instances or a non-integer', () => {
    expect(() => configSchema.parse({ instances: [17] })).toThrow(/at most 16 instances/);
    expect(() => configSchema.parse({ instances: [0] })).toThrow(/positive integer/);
  });
});
