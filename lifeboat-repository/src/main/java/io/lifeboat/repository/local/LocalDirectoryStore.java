package io.lifeboat.repository.local;

import io.lifeboat.repository.ObjectKind;
import io.lifeboat.repository.ObjectSource;
import io.lifeboat.repository.SnapshotName;
import io.lifeboat.repository.SnapshotStore;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.StoreException.Reason;
import io.lifeboat.repository.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Snapshot objects as files in one directory (created 0700 when missing), each written through a
 * {@link PendingFile} with {@link ReplacePolicy#NEVER_REPLACE}: 0600, fsynced, linked into place,
 * directory fsynced. See {@link SnapshotStore} for what survives failures.
 */
public final class LocalDirectoryStore implements SnapshotStore {
  private static final int BUFFER = 1 << 20;
  private final Path directory;

  public LocalDirectoryStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath();
  }

  public Path directory() {
    return directory;
  }

  @Override
  public String location() {
    return directory.toString();
  }

  @Override
  public void check() throws StoreException {
    if (Files.exists(directory) && !Files.isDirectory(directory)) {
      throw new StoreException(Reason.OTHER, String.format(Locale.ROOT,
          "%s is not a directory; give a directory for snapshots", directory));
    }
    if (Files.isDirectory(directory) && !Files.isWritable(directory)) {
      throw new StoreException(Reason.ACCESS_DENIED, String.format(Locale.ROOT,
          "snapshot directory %s is not writable by this user", directory));
    }
  }

  @Override
  public void put(SnapshotName name, ObjectKind kind, ObjectSource source) throws StoreException {
    Path target = path(name, kind);
    OptionalLong expected = source.length();
    try (PendingFile file = PendingFile.create(target, ReplacePolicy.NEVER_REPLACE)) {
      long written = copy(source, file.channel(), target);
      if (expected.isPresent() && expected.getAsLong() != written) {
        throw new StoreException(Reason.SOURCE_FAILED, String.format(Locale.ROOT,
            "writing %s: the source delivered %d bytes, expected %d; nothing was stored", target, written,
            expected.getAsLong()));
      }
      file.commit();
    } catch (FileAlreadyExistsException e) {
      throw new StoreException(Reason.ALREADY_EXISTS, String.format(Locale.ROOT,
          "%s already exists; snapshots are never overwritten (choose another --name or delete it first)", target), e);
    } catch (AccessDeniedException e) {
      throw new StoreException(Reason.ACCESS_DENIED, String.format(Locale.ROOT,
          "cannot write %s: permission denied", target), e);
    } catch (StoreException e) {
      throw e;
    } catch (IOException e) {
      throw new StoreException(Reason.OTHER, String.format(Locale.ROOT, "writing %s failed: %s", target,
          e.getMessage()), e);
    }
  }

  private static long copy(ObjectSource source, FileChannel out, Path target) throws IOException {
    long total = 0;
    byte[] buffer = new byte[BUFFER];
    try (InputStream in = source.open()) {
      while (true) {
        int n;
        try {
          n = in.read(buffer);
        } catch (IOException e) {
          throw new StoreException(Reason.SOURCE_FAILED, String.format(Locale.ROOT,
              "writing %s: reading the source failed after %d bytes (%s); nothing was stored", target, total,
              e.getMessage()), e);
        }
        if (n < 0) {
          return total;
        }
        ByteBuffer b = ByteBuffer.wrap(buffer, 0, n);
        while (b.hasRemaining()) {
          out.write(b);
        }
        total += n;
      }
    }
  }

  @Override
  public InputStream get(SnapshotName name, ObjectKind kind) throws StoreException {
    Path p = path(name, kind);
    try {
      return Files.newInputStream(p);
    } catch (NoSuchFileException e) {
      throw notFound(p, e);
    } catch (IOException e) {
      throw new StoreException(Reason.OTHER, String.format(Locale.ROOT, "cannot read %s: %s", p, e.getMessage()), e);
    }
  }

  @Override
  public boolean exists(SnapshotName name, ObjectKind kind) {
    return Files.isRegularFile(path(name, kind));
  }

  @Override
  public List<StoredObject> list() throws StoreException {
    List<StoredObject> result = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return result;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
      for (Path p : entries) {
        String fileName = p.getFileName().toString();
        if (PendingFile.isTemporaryName(fileName)) {
          continue;
        }
        Optional<ObjectKind.Entry> entry = ObjectKind.parse(fileName);
        if (entry.isEmpty()) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes = Files.readAttributes(p, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
          continue; // deleted while listing
        }
        if (!attributes.isRegularFile()) {
          continue;
        }
        result.add(new StoredObject(entry.get().name(), entry.get().kind(), attributes.size(),
            attributes.lastModifiedTime().toInstant()));
      }
    } catch (IOException e) {
      throw new StoreException(Reason.OTHER, String.format(Locale.ROOT, "cannot list %s: %s", directory,
          e.getMessage()), e);
    }
    result.sort(Comparator.comparing(StoredObject::fileName));
    return result;
  }

  @Override
  public boolean delete(SnapshotName name, ObjectKind kind) throws StoreException {
    Path p = path(name, kind);
    try {
      boolean existed = Files.deleteIfExists(p);
      if (existed) {
        PendingFile.forceDirectory(directory);
      }
      return existed;
    } catch (IOException e) {
      throw new StoreException(Reason.OTHER, String.format(Locale.ROOT, "cannot delete %s: %s", p, e.getMessage()), e);
    }
  }

  @Override
  public void close() {}

  private Path path(SnapshotName name, ObjectKind kind) {
    return directory.resolve(kind.fileName(Objects.requireNonNull(name, "name")));
  }

  private static StoreException notFound(Path p, Exception cause) {
    return new StoreException(Reason.NOT_FOUND, String.format(Locale.ROOT, "%s does not exist", p), cause);
  }
}
