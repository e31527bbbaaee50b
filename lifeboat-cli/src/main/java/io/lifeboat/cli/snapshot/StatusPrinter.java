package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.OutputFormat;
import io.lifeboat.cli.Sizes;
import io.lifeboat.cli.Tables;
import io.lifeboat.etcd.membership.GoJson;
import io.lifeboat.etcd.snapshot.SnapshotReport;
import io.lifeboat.etcd.snapshot.SnapshotStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a status report. The four etcdctl fields come first and look exactly as etcdctl prints
 * them, so scripts that parse etcdctl's output keep working; Lifeboat's extra facts follow.
 */
final class StatusPrinter {
  private StatusPrinter() {}

  static String format(SnapshotReport report, OutputFormat format) {
    SnapshotStatus s = report.status();
    String hash = Long.toHexString(s.hash());
    String size = Sizes.human(s.totalSize());
    String etcdVersion = report.etcdVersion().orElse("");
    return switch (format) {
      case JSON -> json(report) + "\n";
      case SIMPLE -> String.format(Locale.ROOT, "%s, %d, %d, %s%n", hash, s.revision(), s.totalKey(), size)
          + warnings(report);
      case TABLE -> Tables.render(
              List.of("HASH", "REVISION", "TOTAL KEYS", "TOTAL SIZE", "SHA256 TRAILER", "ETCD VERSION", "COMPACTED REVISION"),
              List.of(List.of(hash, Long.toString(s.revision()), Long.toString(s.totalKey()), size,
                  report.trailer().label(), etcdVersion, Long.toString(report.compactRevision()))))
          + warnings(report);
    };
  }

  private static String warnings(SnapshotReport report) {
    StringBuilder b = new StringBuilder();
    for (String w : report.warnings()) {
      b.append("Warning: ").append(w).append('\n');
    }
    return b.toString();
  }

  private static String json(SnapshotReport report) {
    SnapshotStatus s = report.status();
    List<String> fields = new ArrayList<>();
    fields.add("\"hash\":" + s.hash());
    fields.add("\"revision\":" + s.revision());
    fields.add("\"totalKey\":" + s.totalKey());
    fields.add("\"totalSize\":" + s.totalSize());
    fields.add("\"sha256Trailer\":" + GoJson.string(report.trailer().name().toLowerCase(Locale.ROOT)));
    report.etcdVersion().ifPresent(v -> fields.add("\"etcdVersion\":" + GoJson.string(v)));
    fields.add("\"compactRevision\":" + report.compactRevision());
    fields.add("\"consistentIndex\":" + Long.toUnsignedString(report.consistentIndex()));
    fields.add("\"fileSize\":" + report.fileSize());
    if (!report.warnings().isEmpty()) {
      List<String> ws = report.warnings().stream().map(GoJson::string).toList();
      fields.add("\"warnings\":[" + String.join(",", ws) + "]");
    }
    return "{" + String.join(",", fields) + "}";
  }
}
