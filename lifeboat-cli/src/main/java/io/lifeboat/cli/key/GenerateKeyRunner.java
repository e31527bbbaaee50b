package io.lifeboat.cli.key;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.UsageException;
import io.lifeboat.repository.crypto.EncryptionKey;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/** Runs {@code key generate}: a new key file, never over an existing one. */
public final class GenerateKeyRunner {
  private GenerateKeyRunner() {}

  public static int run(Path file, PrintWriter out) throws IOException {
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      throw refuse(file);
    }
    EncryptionKey key;
    try {
      key = EncryptionKey.generate(file);
    } catch (FileAlreadyExistsException e) {
      throw refuse(file);
    }
    out.println(String.format(Locale.ROOT, "Wrote encryption key %s to %s (mode 0600).", key.keyId(), file));
    out.println("Keep a copy outside the cluster: snapshots encrypted with this key cannot be read without it.");
    out.flush();
    return ExitCode.OK.code();
  }

  private static UsageException refuse(Path file) {
    return new UsageException(String.format(Locale.ROOT,
        "%s already exists; an encryption key file is never overwritten (choose another file)", file));
  }
}
