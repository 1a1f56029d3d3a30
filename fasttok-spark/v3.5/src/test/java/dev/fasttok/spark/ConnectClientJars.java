package dev.fasttok.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.xbean.asm9.ClassReader;
import org.apache.xbean.asm9.ClassWriter;
import org.apache.xbean.asm9.commons.ClassRemapper;
import org.apache.xbean.asm9.commons.Remapper;

/**
 * The Spark Connect JVM client's own jars for {@link SparkConnectClusterTest} on Spark 3.5.
 *
 * <p>The only Scala 2.12 client on Maven Central, 3.5.0, was shaded with its protobuf and Guava
 * references relocated to {@code org.sparkproject.connect.client.com.google} but without those
 * classes (it fails with {@code NoClassDefFoundError:
 * org/sparkproject/connect/client/com/google/protobuf/MessageOrBuilder}, then the same for
 * {@code ...com/google/common/cache/CacheLoader}). This supplies them: the protobuf-java, Guava and
 * failureaccess versions its build used, copied beside it by the build, relocated as its shading
 * relocated the references (class names only; ASM is Spark's own shaded copy).
 */
final class ConnectClientJars {
  private ConnectClientJars() {}

  private static final String GOOGLE = "com/google/";
  private static final String RELOCATED = "org/sparkproject/connect/client/com/google/";
  private static final List<String> RELOCATE = List.of("protobuf-java-", "guava-", "failureaccess-");

  static List<Path> of(Path clientDir, Path workDir) throws IOException {
    List<Path> jars;
    try (Stream<Path> files = Files.list(clientDir)) {
      jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
    }
    List<Path> out = new ArrayList<>();
    for (Path jar : jars) {
      String name = jar.getFileName().toString();
      out.add(RELOCATE.stream().anyMatch(name::startsWith) ? relocate(jar, workDir) : jar);
    }
    return out;
  }

  private static Path relocate(Path library, Path workDir) throws IOException {
    Path out = workDir.resolve("relocated-" + library.getFileName());
    Remapper remapper = new Remapper() {
      @Override
      public String map(String internalName) {
        return internalName.startsWith(GOOGLE) ? RELOCATED + internalName.substring(GOOGLE.length()) : internalName;
      }
    };
    try (InputStream in = Files.newInputStream(library); JarInputStream jar = new JarInputStream(in);
        OutputStream os = Files.newOutputStream(out); JarOutputStream relocated = new JarOutputStream(os)) {
      for (JarEntry e = jar.getNextJarEntry(); e != null; e = jar.getNextJarEntry()) {
        if (e.isDirectory()) continue;
        byte[] bytes = jar.readAllBytes();
        String name = e.getName();
        if (name.startsWith(GOOGLE) && name.endsWith(".class")) {
          ClassReader reader = new ClassReader(bytes);
          ClassWriter writer = new ClassWriter(0);
          reader.accept(new ClassRemapper(writer, remapper), 0);
          bytes = writer.toByteArray();
          name = RELOCATED + name.substring(GOOGLE.length());
        }
        relocated.putNextEntry(new JarEntry(name));
        relocated.write(bytes);
        relocated.closeEntry();
      }
    }
    return out;
  }
}
