import { describe, expect, it } from 'vitest';
import { importChanges, splitTag } from '../../src/drivers/docker/base.js';
import { LABEL_RUN, LABEL_VERSION } from '../../src/lifecycle/labels.js';

describe('splitTag', () => {
  it('splits repo and tag', () => {
    expect(splitTag('isobench/debian-python:bookworm')).toEqual({ repo: 'isobench/debian-python', tag: 'bookworm' });
  });
  it("does not take a registry port's colon for a tag", () => {
    expect(splitTag('localhost:5000/py')).toEqual({ repo: 'localhost:5000/py', tag: 'latest' });
  });
});

describe('importChanges', () => {
  it('labels the imported image and sets PATH and a default command', () => {
    const changes = importChanges('r9');
    expect(changes[0]).toMatch(new RegExp(`^LABEL ${LABEL_RUN}=r9 ${LABEL_VERSION}=\\S+$`));
    expect(changes).toContain('CMD ["python3"]');
    expect(changes.some((c) => c.startsWith('ENV PATH='))).toBe(true);
  });
});
