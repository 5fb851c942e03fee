import { describe, expect, it } from 'vitest';
import { parseAptSources } from '../../src/images/debian.js';

describe('apt sources', () => {
  it('reads deb822 stanzas, skipping deb-src and disabled ones', () => {
    const text = [
      'Types: deb deb-src',
      'URIs: http://mirror.example/debian',
      'Suites: bookworm bookworm-updates',
      'Components: main contrib',
      '',
      'Types: deb-src',
      'URIs: http://src.example/debian',
      'Suites: bookworm',
      'Components: main',
      '',
      'Types: deb',
      'Enabled: no',
      'URIs: http://off.example/debian',
      'Suites: bookworm',
      'Components: main',
    ].join('\n');
    expect(parseAptSources(text, 'deb822')).toEqual([
      { uri: 'http://mirror.example/debian', suites: ['bookworm', 'bookworm-updates'], components: ['main', 'contrib'] },
    ]);
  });

  it('reads one-line sources with options and comments', () => {
    const text = '# comment\ndeb [arch=amd64 signed-by=/k.gpg] http://m.example/debian bookworm main non-free\ndeb-src http://m.example/debian bookworm main\n';
    expect(parseAptSources(text, 'list')).toEqual([{ uri: 'http://m.example/debian', suites: ['bookworm'], components: ['main', 'non-free'] }]);
  });
});
