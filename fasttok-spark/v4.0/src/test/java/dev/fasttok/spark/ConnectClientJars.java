package dev.fasttok.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Spark Connect JVM client's own jars for {@link SparkConnectClusterTest} on Spark 4.0: the
 * client and its shims, as the build copied them (nothing to write in {@code workDir}, which the
 * 3.5 version needs).
 */
final class ConnectClientJars {
  private ConnectClientJars() {}

  static List<Path> of(Path clientDir, Path workDir) throws IOException {
    try (Stream<Path> files = Files.list(clientDir)) {
      return files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
  }
}
