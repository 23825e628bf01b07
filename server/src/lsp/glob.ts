// Exclude patterns (`tinyml.exclude`, the CLI's defaults) as VS Code writes them: `**`, `*`, `?`,
// `{a,b}`, matched against a path relative to the folder being scanned, with `/` separators.

export type PathMatcher = (relativePath: string) => boolean;

export function globToRegExp(glob: string): RegExp {
  let re = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const before = i === 0 || glob[i - 1] === '/';
      const after = glob[i + 2] === '/' || i + 2 === glob.length;
      if (before && glob[i + 2] === '/') {
        re += '(?:.*/)?';
        i += 2;
      } else if (before && after && re.endsWith('/')) {
        // `a/**` also matches `a` itself, so that the folder is skipped, not only its files.
        re = re.slice(0, -1) + '(?:/.*)?';
        i += 1;
      } else {
        re += '.*';
        i += 1;
      }
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '{') {
      braces++;
      re += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      re += ')';
    } else if (c === ',' && braces > 0) re += '|';
    else re += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** True when any pattern matches; invalid patterns are dropped by the caller's sanitizer. */
export function matcherOf(globs: readonly string[]): PathMatcher {
  const res = globs.map(globToRegExp);
  return (relativePath) => res.some((r) => r.test(relativePath));
}
