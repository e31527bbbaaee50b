package io.lifeboat.bbolt;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * A bbolt file is malformed. The message is one line naming the file, the page and its byte offset when known,
 * what was expected and what was found.
 */
public final class CorruptFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long pageId;
  private final long offset;

  CorruptFileException(Path file, long pageId, long offset, String detail, Throwable cause) {
    super(format(file, pageId, offset, detail), cause);
    this.file = Objects.requireNonNull(file, "file");
    this.pageId = pageId;
    this.offset = offset;
  }

  CorruptFileException(Path file, long pageId, long offset, String detail) {
    this(file, pageId, offset, detail, null);
  }

  /** The file that is corrupt. */
  public Path file() {
    return file;
  }

  /** The page where the problem was found, when it concerns one page. */
  public OptionalLong pageId() {
    return pageId < 0 ? OptionalLong.empty() : OptionalLong.of(pageId);
  }

  /** The byte offset in the file of the page (or of the inline bucket) where the problem was found. */
  public OptionalLong offset() {
    return offset < 0 ? OptionalLong.empty() : OptionalLong.of(offset);
  }

  private static String format(Path file, long pageId, long offset, String detail) {
    Path name = file.getFileName();
    StringBuilder b = new StringBuilder(name == null ? file.toString() : name.toString()).append(": ");
    if (pageId >= 0) {
      b.append(String.format(Locale.ROOT, "page %d", pageId));
      if (offset >= 0) {
        b.append(String.format(Locale.ROOT, " at offset %d", offset));
      }
      b.append(": ");
    } else if (offset >= 0) {
      b.append(String.format(Locale.ROOT, "offset %d: ", offset));
    }
    // One line: a message from a wrapped exception must not break it.
    return b.append(detail.replace('\n', ' ').replace('\r', ' ')).toString();
  }
}
