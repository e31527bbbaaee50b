package io.lifeboat.repository.codec;

import io.lifeboat.repository.IntegrityException;
import io.lifeboat.repository.SnapshotName;
import java.io.FilterInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * RKE's snapshot archive, as {@code rancher/rke-tools} writes and reads it: {@code <name>.zip} holds
 * the raw snapshot as the Deflate entry {@code /backup/<name>} (leading slash, no extension,
 * modification time the Unix epoch) and, from RKE itself, possibly {@code /etc/kubernetes/<name>.rkestate}.
 * RKE's restore extracts exactly {@code /backup/<name>}, so that is the name we write.
 */
public final class RkeZip {
  public static final String ENTRY_DIRECTORY = "/backup/";
  static final String RKESTATE_SUFFIX = ".rkestate";

  private RkeZip() {}

  /** The entry name RKE expects for a snapshot. */
  public static String entryName(SnapshotName name) {
    return ENTRY_DIRECTORY + name.value();
  }

  /** What was found in an archive, and the snapshot bytes. */
  public record Entry(String entryName, Optional<String> rkeStateEntry, InputStream data) {}

  /**
   * A stream whose bytes become the single entry {@code /backup/<name>}; closing it finishes the
   * archive and closes {@code out}.
   */
  public static OutputStream writer(OutputStream out, SnapshotName name) throws IOException {
    ZipOutputStream zip = new ZipOutputStream(out);
    zip.setMethod(ZipOutputStream.DEFLATED);
    ZipEntry entry = new ZipEntry(entryName(name));
    entry.setMethod(ZipEntry.DEFLATED);
    entry.setLastModifiedTime(FileTime.fromMillis(0));
    zip.putNextEntry(entry);
    return new FilterOutputStream(zip) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (!closed) {
          closed = true;
          zip.closeEntry();
          zip.close();
        }
      }
    };
  }

  /**
   * Opens the snapshot entry of an archive read as a stream: the entry whose base name equals
   * {@code archiveBaseName} (the archive's file name without {@code .zip}); failing that, the only
   * entry that is neither a directory nor {@code *.rkestate}. When the matching entry comes first
   * (as RKE writes it) nothing is buffered. When another entry comes first, it is inflated into a
   * temporary file (0600, deleted on close) while the rest of the archive is searched for a match.
   * An {@code .rkestate} entry met before the returned entry is reported.
   *
   * @throws IntegrityException when the archive is corrupt, has no snapshot entry, or is ambiguous
   */
  public static Entry read(InputStream archive, String archiveBaseName) throws IOException {
    TrackedInputStream source = archive instanceof TrackedInputStream t ? t : new TrackedInputStream(archive);
    String what = archiveBaseName + ".zip";
    ZipInputStream zip = new ZipInputStream(source);
    Optional<String> rkeState = Optional.empty();
    List<String> seen = new ArrayList<>();
    String candidate = null;
    Path spilled = null;
    boolean handedOver = false;
    try {
      ZipEntry e;
      while ((e = zip.getNextEntry()) != null) {
        String entryName = e.getName();
        seen.add(entryName);
        if (e.isDirectory()) {
          continue;
        }
        if (entryName.endsWith(RKESTATE_SUFFIX)) {
          rkeState = Optional.of(entryName);
          continue;
        }
        if (baseName(entryName).equals(archiveBaseName)) {
          handedOver = true;
          return new Entry(entryName, rkeState, source.guard(zip, what + ": corrupt zip data"));
        }
        if (candidate != null) {
          throw new IntegrityException(String.format(Locale.ROOT,
              "%s: ambiguous archive: neither '%s' nor '%s' is named after the archive; rename the archive "
                  + "to match its snapshot entry", what, candidate, entryName));
        }
        candidate = entryName;
        spilled = Files.createTempFile("lifeboat-zip-entry-", ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(spilled)) {
          io.lifeboat.repository.StreamCopy.copy(zip, out);
        }
      }
      if (candidate == null) {
        throw new IntegrityException(String.format(Locale.ROOT,
            "%s: no snapshot entry in the archive (entries: %s); expected %s%s", what, truncate(seen),
            ENTRY_DIRECTORY, archiveBaseName));
      }
      zip.close();
      Path file = spilled;
      InputStream data = new FilterInputStream(Files.newInputStream(file)) {
        @Override
        public void close() throws IOException {
          try {
            super.close();
          } finally {
            Files.deleteIfExists(file);
          }
        }
      };
      handedOver = true;
      return new Entry(candidate, rkeState, data);
    } catch (ZipException | EOFException e) {
      throw source.classify(e, what + ": corrupt zip archive");
    } finally {
      if (!handedOver && spilled != null) {
        Files.deleteIfExists(spilled);
      }
    }
  }

  static String baseName(String entryName) {
    String s = entryName;
    while (s.endsWith("/")) {
      s = s.substring(0, s.length() - 1);
    }
    int slash = s.lastIndexOf('/');
    return slash < 0 ? s : s.substring(slash + 1);
  }

  private static String truncate(List<String> names) {
    String s = String.join(", ", names);
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
