declare module 'is-git-ref-name-valid' {
  /** `git check-ref-format` rules; `onelevel` allows names without a `/`. */
  export default function isGitRefNameValid(
    name: string,
    onelevel?: boolean,
  ): boolean;
}
