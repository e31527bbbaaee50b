package io.lifeboat.cli.snapshot;

import io.lifeboat.cli.ExitCode;
import io.lifeboat.cli.OutputFormat;
import io.lifeboat.cli.Sizes;
import io.lifeboat.cli.Tables;
import io.lifeboat.cli.UsageException;
import io.lifeboat.etcd.membership.GoJson;
import io.lifeboat.repository.SnapshotMetadata;
import io.lifeboat.repository.StoreException;
import io.lifeboat.repository.crypto.Encryption;
import io.lifeboat.repository.s3.S3Config;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@code snapshot ls}: the catalog of every location, merged by name, newest first. */
public final class ListRunner {
  private ListRunner() {}

  /** One listed snapshot: what the table and the JSON both show. */
  record Row(SnapshotMetadata metadata, List<String> locations) {
    String location() {
      return String.join("+", locations);
    }

    String encrypted() {
      try {
        return Encryption.parse(metadata.encryption()).keyId().map(id -> "yes (" + id + ")").orElse("no");
      } catch (io.lifeboat.repository.IntegrityException e) {
        return metadata.encryption();
      }
    }
  }

  public static int run(Path dir, Optional<S3Config> s3, OutputFormat format, PrintWriter out, PrintWriter err)
      throws StoreException {
    if (format == OutputFormat.SIMPLE) {
      throw new UsageException("snapshot ls writes table or json, not simple");
    }
    Map<String, Row> rows = new LinkedHashMap<>();
    try (StoreLocations locations = StoreLocations.open(dir, s3)) {
      for (StoreLocations.Location l : locations.all()) {
        for (SnapshotCatalog.Entry e : SnapshotCatalog.list(l.store(), err::println)) {
          rows.computeIfAbsent(e.name().value(), k -> new Row(e.metadata(), new ArrayList<>())).locations()
              .add(l.label());
        }
      }
    }
    err.flush();
    List<Row> sorted = new ArrayList<>(rows.values());
    sorted.sort((a, b) -> {
      int c = b.metadata().createdAt().compareTo(a.metadata().createdAt());
      return c != 0 ? c : b.metadata().name().compareTo(a.metadata().name());
    });
    if (format == OutputFormat.JSON) {
      out.println(json(sorted));
    } else {
      List<List<String>> cells = new ArrayList<>();
      for (Row r : sorted) {
        SnapshotMetadata m = r.metadata();
        cells.add(List.of(m.name(), m.createdAt().truncatedTo(ChronoUnit.SECONDS).toString(), Sizes.human(m.size()),
            m.compression(), r.encrypted(), Long.toString(m.etcd().revision()), r.location()));
      }
      out.print(Tables.render(
          List.of("NAME", "CREATED", "SIZE", "COMPRESSION", "ENCRYPTED", "REVISION", "LOCATION"), cells));
    }
    out.flush();
    return ExitCode.OK.code();
  }

  private static String json(List<Row> rows) {
    List<String> items = new ArrayList<>();
    for (Row r : rows) {
      SnapshotMetadata m = r.metadata();
      items.add("{\"name\":" + GoJson.string(m.name())
          + ",\"createdAt\":" + GoJson.string(m.createdAt().toString())
          + ",\"file\":" + GoJson.string(m.file())
          + ",\"size\":" + m.size()
          + ",\"sha256\":" + GoJson.string(m.sha256())
          + ",\"compression\":" + GoJson.string(m.compression())
          + ",\"encryption\":" + GoJson.string(m.encryption())
          + ",\"revision\":" + m.etcd().revision()
          + ",\"totalKey\":" + m.etcd().totalKey()
          + ",\"locations\":[" + String.join(",", r.locations().stream().map(GoJson::string).toList()) + "]}");
    }
    return "[" + String.join(",", items) + "]";
  }
}
