package io.lifeboat.testkit;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import java.io.File;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads Kubernetes-like data into an etcd cluster from shell scripts:
 *
 * <pre>
 * java -cp CLASSPATH io.lifeboat.testkit.LoadMain --endpoints URL[,URL] [--cacert F --cert F --key F]
 *     (--keys N | --bytes N[K|M|G]) [--seed S] [--max-in-flight N]
 * </pre>
 *
 * Prints the {@link LoadResult} as one JSON line on stdout; on failure prints one line to stderr
 * and exits 1 (2 for bad usage).
 */
public final class LoadMain {
  private static final String USAGE =
      "usage: LoadMain --endpoints URL[,URL] [--cacert F --cert F --key F]"
          + " (--keys N | --bytes N[K|M|G]) [--seed S] [--max-in-flight N]";

  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(15);

  private LoadMain() {}

  public static void main(String[] args) {
    // Without a provider on the class path SLF4J warns on stderr, which would break the one-line
    // error contract; a caller that wants SLF4J's own diagnostics can set the property itself.
    if (System.getProperty("slf4j.internal.verbosity") == null) {
      System.setProperty("slf4j.internal.verbosity", "ERROR");
    }
    int code = run(args, System.out, System.err);
    // jetcd leaves non-daemon threads behind; exiting explicitly keeps scripts from hanging.
    System.exit(code);
  }

  /** Runs the loader and returns the exit code: 0 loaded, 1 failed, 2 bad usage. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage() + "; " + USAGE);
      return 2;
    }
    try (Client client = options.client()) {
      probe(client, options.endpoints());
      LoadResult result = new KubernetesLikeLoader(client).load(options.spec());
      out.println(result.toJson());
      return 0;
    } catch (RuntimeException e) {
      err.println("error: " + oneLine(e));
      return 1;
    }
  }

  /** Fails fast, naming the endpoints, when etcd is unreachable: jetcd would retry for long. */
  private static void probe(Client client, String endpoints) {
    try {
      client
          .getKVClient()
          .get(ByteSequence.from("/registry/", StandardCharsets.UTF_8))
          .get(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "etcd at " + endpoints + " refused a read: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "etcd at " + endpoints + " did not answer within " + PROBE_TIMEOUT.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while connecting to " + endpoints, e);
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    return message.replaceAll("\\s+", " ");
  }

  private record Options(
      String endpoints,
      Optional<String> cacert,
      Optional<String> cert,
      Optional<String> key,
      LoadSpec spec) {

    static Options parse(String[] args) {
      String endpoints = null;
      String cacert = null;
      String cert = null;
      String key = null;
      Long keys = null;
      Long bytes = null;
      long seed = LoadSpec.DEFAULT_SEED;
      Integer maxInFlight = null;
      for (int i = 0; i < args.length; i++) {
        String arg = args[i];
        String name = arg;
        String value;
        int eq = arg.indexOf('=');
        if (arg.startsWith("--") && eq > 0) {
          name = arg.substring(0, eq);
          value = arg.substring(eq + 1);
        } else if (i + 1 < args.length) {
          value = args[++i];
        } else {
          throw new IllegalArgumentException("missing value for " + arg);
        }
        switch (name) {
          case "--endpoints" -> endpoints = value;
          case "--cacert" -> cacert = value;
          case "--cert" -> cert = value;
          case "--key" -> key = value;
          case "--keys" -> keys = parseCount(name, value, false);
          case "--bytes" -> bytes = parseCount(name, value, true);
          case "--seed" -> seed = parseCount(name, value, false);
          case "--max-in-flight" -> maxInFlight = Math.toIntExact(parseCount(name, value, false));
          default -> throw new IllegalArgumentException("unknown option " + name);
        }
      }
      if (endpoints == null || endpoints.isBlank()) {
        throw new IllegalArgumentException("--endpoints is required");
      }
      if ((keys == null) == (bytes == null)) {
        throw new IllegalArgumentException("give exactly one of --keys and --bytes");
      }
      if ((cert == null) != (key == null)) {
        throw new IllegalArgumentException("--cert and --key go together");
      }
      LoadSpec spec =
          keys != null ? LoadSpec.keys(Math.toIntExact(keys)) : LoadSpec.bytes(bytes);
      spec = spec.withSeed(seed);
      if (maxInFlight != null) {
        spec = spec.withMaxInFlight(maxInFlight);
      }
      return new Options(
          endpoints,
          Optional.ofNullable(cacert),
          Optional.ofNullable(cert),
          Optional.ofNullable(key),
          spec);
    }

    private static long parseCount(String option, String text, boolean sizeSuffix) {
      String digits = text.trim().toUpperCase(Locale.ROOT);
      long multiplier = 1;
      if (sizeSuffix && !digits.isEmpty()) {
        char unit = digits.charAt(digits.length() - 1);
        multiplier =
            switch (unit) {
              case 'K' -> 1L << 10;
              case 'M' -> 1L << 20;
              case 'G' -> 1L << 30;
              default -> 1;
            };
        if (multiplier > 1) {
          digits = digits.substring(0, digits.length() - 1);
        }
      }
      try {
        long value = Math.multiplyExact(Long.parseLong(digits), multiplier);
        if (value <= 0 && !option.equals("--seed")) {
          throw new IllegalArgumentException(option + " must be positive, not " + text);
        }
        return value;
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException(option + " is not a number: " + text);
      }
    }

    Client client() {
      ClientBuilder builder =
          Client.builder()
              .endpoints(
                  Arrays.stream(endpoints.split(","))
                      .map(String::trim)
                      .filter(s -> !s.isEmpty())
                      .map(URI::create)
                      .toArray(URI[]::new));
      if (cacert.isPresent() || cert.isPresent()) {
        try {
          builder.sslContext(
              ssl -> {
                cacert.ifPresent(ca -> ssl.trustManager(new File(ca)));
                if (cert.isPresent()) {
                  ssl.keyManager(new File(cert.get()), new File(key.orElseThrow()));
                }
              });
        } catch (javax.net.ssl.SSLException e) {
          throw new IllegalStateException("cannot load TLS files: " + e.getMessage(), e);
        }
      }
      return builder.build();
    }
  }
}
