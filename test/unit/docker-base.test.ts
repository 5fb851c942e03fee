import { describe, expect, it } from 'vitest';
import { importChanges, splitTag } from '../../src/drivers/docker/base.js';
import { LABEL_OWNER, LABEL_RUN, LABEL_VERSION } from '../../src/lifecycle/labels.js';

describe('splitTag', () => {
  it('splits repo and tag', () => {
    expect(splitTag('isobench/debian-python:bookworm')).toEqual({ repo: 'isobench/debian-python', tag: 'bookworm' });
  });
  it("does not take a registry port's colon for a tag", () => {
    expect(splitTag('localhost:5000/py')).toEqual({ repo: 'localhost:5000/py', tag: 'latest' });
  });
});

describe('importChanges', () => {
  it('labels the imported image with the version only (no run id a container could inherit), sets PATH and a command', () => {
    const changes = importChanges();
    expect(changes[0]).toMatch(new RegExp(`^LABEL ${LABEL_VERSION}=\\S+$`));
    expect(changes.join('\n')).not.toMatch(new RegExp(`${LABEL_RUN}|${LABEL_OWNER}`));
    expect(changes).toContain('CMD ["python3"]');
    expect(changes.some((c) => c.startsWith('ENV PATH='))).toBe(true);
  });

  it('puts a venv\'s bin first on PATH when the image has one (packages from Debian)', () => {
    expect(importChanges('/opt/venv')).toContain('ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
    expect(importChanges().find((c) => c.startsWith('ENV PATH='))).toBe('ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin');
  });
});
