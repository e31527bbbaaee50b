package io.lifeboat.repository.local;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file written under a temporary name in its target directory and moved to its final name only
 * when complete: {@link #commit()} forces the data to disk, renames (or links, to never replace),
 * then forces the directory. Until then nothing carries the final name, so a crash or kill at any
 * moment leaves either the old state or the whole new file. An uncommitted file is deleted by
 * {@link #close()} and, for SIGINT/SIGTERM, by a shutdown hook. Files are created 0600 and missing
 * directories 0700: snapshots hold Kubernetes Secrets.
 */
public final class PendingFile implements AutoCloseable {
  static final String TEMP_MARKER = ".lifeboat-tmp-";
  private static final FileAttribute<?> FILE_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final FileAttribute<?> DIR_MODE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
  private static final Set<Path> UNCOMMITTED = ConcurrentHashMap.newKeySet();
  private static final SecureRandom RANDOM = new SecureRandom();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(PendingFile::deleteUncommitted, "lifeboat-cleanup"));
  }

  private final Path target;
  private final Path temporary;
  private final ReplacePolicy policy;
  private final FileChannel channel;
  private boolean committed;

  private PendingFile(Path target, Path temporary, ReplacePolicy policy, FileChannel channel) {
    this.target = target;
    this.temporary = temporary;
    this.policy = policy;
    this.channel = channel;
  }

  /**
   * Creates the temporary file beside {@code target}, creating missing directories (0700).
   *
   * @throws FileAlreadyExistsException when {@code target} exists and the policy never replaces
   * @throws AccessDeniedException when the directory is not writable
   */
  public static PendingFile create(Path target, ReplacePolicy policy) throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(policy, "policy");
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, DIR_MODE);
    }
    if (policy == ReplacePolicy.NEVER_REPLACE && Files.exists(absolute)) {
      throw new FileAlreadyExistsException(absolute.toString(), null, "already exists; snapshots are never overwritten");
    }
    if (Files.isDirectory(absolute)) {
      throw new FileAlreadyExistsException(absolute.toString(), null, "is a directory");
    }
    byte[] suffix = new byte[6];
    RANDOM.nextBytes(suffix);
    // The process id in the name lets a later run tell a file abandoned by a killed process.
    Path temporary = dir.resolve("." + absolute.getFileName() + TEMP_MARKER + ProcessHandle.current().pid() + "-"
        + HexFormat.of().formatHex(suffix));
    UNCOMMITTED.add(temporary);
    try {
      FileChannel channel = FileChannel.open(temporary,
          Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ), FILE_MODE);
      return new PendingFile(absolute, temporary, policy, channel);
    } catch (IOException | RuntimeException e) {
      UNCOMMITTED.remove(temporary);
      throw e;
    }
  }

  public FileChannel channel() {
    return channel;
  }

  /** Where the bytes are until {@link #commit()}; readable for a final check before committing. */
  public Path temporaryPath() {
    return temporary;
  }

  public Path target() {
    return target;
  }

  /** Empties the file, for a retry from the start. */
  public void truncate() throws IOException {
    channel.truncate(0);
    channel.position(0);
  }

  /** Makes the file durable under its final name. */
  public void commit() throws IOException {
    if (committed) {
      throw new IllegalStateException("already committed: " + target);
    }
    channel.force(true);
    channel.close();
    if (policy == ReplacePolicy.NEVER_REPLACE) {
      // link(2) fails if the name exists, where rename(2) would silently replace it.
      try {
        Files.createLink(target, temporary);
      } catch (FileAlreadyExistsException e) {
        throw new FileAlreadyExistsException(target.toString(), null, "already exists; snapshots are never overwritten");
      } catch (UnsupportedOperationException e) {
        if (Files.exists(target)) {
          throw new FileAlreadyExistsException(target.toString(), null, "already exists; snapshots are never overwritten");
        }
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.deleteIfExists(temporary);
    } else {
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    committed = true;
    UNCOMMITTED.remove(temporary);
    forceDirectory(target.getParent());
  }

  /** Deletes the temporary file unless committed. */
  @Override
  public void close() throws IOException {
    if (committed) {
      return;
    }
    try {
      channel.close();
    } finally {
      Files.deleteIfExists(temporary);
      UNCOMMITTED.remove(temporary);
    }
  }

  /**
   * Makes sure files can be created in {@code dir} (created 0700 if missing), by creating and
   * deleting a probe file there, so a command can refuse before it does any work.
   */
  public static void requireWritableDirectory(Path dir) throws IOException {
    Path absolute = dir.toAbsolutePath();
    if (!Files.isDirectory(absolute)) {
      Files.createDirectories(absolute, DIR_MODE);
    }
    byte[] suffix = new byte[6];
    RANDOM.nextBytes(suffix);
    Path probe = absolute.resolve(".lifeboat-write-check" + TEMP_MARKER + HexFormat.of().formatHex(suffix));
    Files.deleteIfExists(Files.createFile(probe, FILE_MODE));
  }

  /** fsync of a directory, so a rename in it survives a power loss. */
  public static void forceDirectory(Path dir) throws IOException {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
  }

  /** Whether a file name is one of ours in progress (or left by a killed process). */
  public static boolean isTemporaryName(String fileName) {
    return fileName.startsWith(".") && fileName.contains(TEMP_MARKER);
  }

  /** A temporary file of ours unchanged for this long is abandoned whoever wrote it: a live save writes on. */
  static final Duration ABANDONED_AFTER = Duration.ofHours(1);
  /** A temporary file of a process that no longer runs on this host, unchanged for this long, is abandoned. */
  static final Duration DEAD_WRITER_GRACE = Duration.ofMinutes(1);

  /**
   * Deletes the temporary files a killed process left in {@code dir} (kill -9, OOM, a crash: no
   * shutdown hook ran), which would otherwise fill the disk over time: ours (by name) and either
   * written by a process id that no longer runs here and unchanged for a minute, or unchanged for an
   * hour (a directory shared between hosts, or a name without a process id). Files being written
   * are never touched: a save writes its temporary file continuously until it renames it.
   *
   * @return the names deleted
   */
  public static List<String> deleteAbandoned(Path dir, Instant now) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(now, "now");
    List<String> deleted = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return deleted;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        String name = p.getFileName().toString();
        if (!isTemporaryName(name) || UNCOMMITTED.contains(p.toAbsolutePath()) || !Files.isRegularFile(p)) {
          continue;
        }
        Instant modified;
        try {
          modified = Files.getLastModifiedTime(p).toInstant();
        } catch (NoSuchFileException e) {
          continue; // renamed or removed by its writer meanwhile
        }
        Duration idle = Duration.between(modified, now);
        OptionalLong writer = writerPid(name);
        boolean writerGone = writer.isPresent() && ProcessHandle.of(writer.getAsLong()).isEmpty();
        if (idle.compareTo(ABANDONED_AFTER) >= 0 || (writerGone && idle.compareTo(DEAD_WRITER_GRACE) >= 0)) {
          if (Files.deleteIfExists(p)) {
            deleted.add(name);
          }
        }
      }
    }
    return deleted;
  }

  /** The process id in a temporary name ({@code .<name>.lifeboat-tmp-<pid>-<random>}), if it has one. */
  static OptionalLong writerPid(String temporaryName) {
    int at = temporaryName.lastIndexOf(TEMP_MARKER);
    if (at < 0) {
      return OptionalLong.empty();
    }
    String rest = temporaryName.substring(at + TEMP_MARKER.length());
    int dash = rest.indexOf('-');
    if (dash <= 0) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseLong(rest.substring(0, dash)));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static void deleteUncommitted() {
    for (Path p : UNCOMMITTED) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        System.err.println(String.format(Locale.ROOT, "Warning: could not remove temporary file %s: %s", p, e.getMessage()));
      }
    }
  }
}
