package io.lifeboat.etcd.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Builds a directory under a temporary sibling name and renames it into place, so that a crash
 * leaves either the old directory or the complete new one (plus, at worst, a temporary directory).
 */
final class Placement {
  static final String TMP_INFIX = ".lifeboat-tmp-";
  static final String BACKUP_INFIX = ".lifeboat-backup-";
  private static final DateTimeFormatter BACKUP_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private Placement() {}

  /** Whether {@code dir} exists as anything other than an empty directory. */
  static boolean occupied(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return entries.iterator().hasNext();
    }
  }

  /** Creates a fresh temporary sibling of {@code target}, mode 0700. */
  static Path createTemporarySibling(Path target) throws IOException {
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    Path tmp = target.resolveSibling(target.getFileName() + TMP_INFIX + HexFormat.of().formatHex(random));
    createPrivateDirectory(tmp);
    return tmp;
  }

  /** Creates a directory (and missing parents) readable by the owner only where POSIX permissions exist. */
  static void createPrivateDirectory(Path dir) throws IOException {
    if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      FileAttribute<?> ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
      Files.createDirectories(dir, ownerOnly);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } else {
      Files.createDirectories(dir);
    }
  }

  /**
   * Renames {@code tmp} to {@code target}. An empty directory at {@code target} is replaced; a
   * non-empty one is renamed to {@code <target>.lifeboat-backup-<time>} when {@code force}, else refused.
   *
   * @return where an existing directory was moved
   */
  static Optional<Path> moveIntoPlace(Path tmp, Path target, boolean force, Instant now) throws IOException {
    Optional<Path> movedAside = Optional.empty();
    if (occupied(target)) {
      if (!force) {
        throw new DataDirExistsException(target);
      }
      Path backup = backupName(target, now);
      Files.move(target, backup, StandardCopyOption.ATOMIC_MOVE);
      movedAside = Optional.of(backup);
    } else if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
      Files.delete(target);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    syncDirectory(target.toAbsolutePath().getParent());
    return movedAside;
  }

  private static Path backupName(Path target, Instant now) {
    String base = target.getFileName() + BACKUP_INFIX + BACKUP_TIME.format(now);
    Path backup = target.resolveSibling(base);
    for (int i = 2; Files.exists(backup, LinkOption.NOFOLLOW_LINKS); i++) {
      backup = target.resolveSibling(base + "-" + i);
    }
    return backup;
  }

  /** Forces a directory's entries to disk (a no-op where the platform cannot open directories). */
  static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException e) {
      // Not every platform can fsync a directory; Linux can.
    }
  }

  /** Deletes a directory tree we created; failures are left for the caller's exception to explain. */
  static void deleteQuietly(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Best effort: the temporary name says what it is.
    }
  }
}
