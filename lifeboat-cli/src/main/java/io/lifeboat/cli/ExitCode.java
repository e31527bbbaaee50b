package io.lifeboat.cli;

import io.lifeboat.etcd.snapshot.CorruptSnapshotException;
import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.MetadataException;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.crypto.KeyFileException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Lifeboat's exit codes, and the one place that maps failures to them. */
public enum ExitCode {
  OK(0),
  FAILED(1),
  USAGE(2),
  INTEGRITY(3);

  private final int code;

  ExitCode(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** The exit code for a failure that reached the command line. */
  public static ExitCode of(Throwable failure) {
    if (failure instanceof CorruptSnapshotException
        || failure instanceof IntegrityException
        || failure instanceof MetadataException) {
      return INTEGRITY;
    }
    if (failure instanceof StoreException s) {
      return switch (s.reason()) {
        case BUCKET_MISSING, BAD_CREDENTIALS, ACCESS_DENIED, WRONG_REGION, UNREACHABLE -> USAGE;
        default -> FAILED;
      };
    }
    if (failure instanceof KeyFileException) {
      return USAGE;
    }
    if (failure instanceof UsageException
        || failure instanceof io.lifeboat.client.ConnectionException
        || failure instanceof io.lifeboat.client.EtcdUnavailableException
        || failure instanceof io.lifeboat.client.EtcdAuthenticationException
        || failure instanceof java.nio.file.FileAlreadyExistsException
        || failure instanceof io.lifeboat.etcd.membership.ClusterConfigException
        || failure instanceof io.lifeboat.etcd.restore.DataDirExistsException
        || failure instanceof NoSuchFileException
        || failure instanceof AccessDeniedException
        || failure instanceof NotDirectoryException) {
      return USAGE;
    }
    return FAILED;
  }
}
