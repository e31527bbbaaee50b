package io.lifeboat.repository.local;

/** What committing a {@link PendingFile} does when the target name exists. */
public enum ReplacePolicy {
  /** Fail: a named snapshot in a repository is never overwritten. */
  NEVER_REPLACE,
  /** Replace atomically, as {@code etcdctl snapshot save FILE} does. */
  REPLACE_EXISTING
}
