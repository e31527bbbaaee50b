package io.lifeboat.cli;

import java.time.Duration;

/** A Go duration option ({@code 2s}, {@code 5m0s}): the repository's parser, its errors as usage errors. */
public final class GoDuration {
  private GoDuration() {}

  public static Duration parse(String option, String text) {
    try {
      return io.lifeboat.repository.retention.GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }
}
