package dev.fasttok.corpus;

import java.util.Locale;

/** Numbers for people: 12.3 MB, 4.5 M, 1,234. */
final class Format {
  private Format() {}

  /** Bytes in decimal units (MB = 10^6 bytes, as MB/s figures use). */
  static String bytes(long b) {
    if (b < 1000) return b + " B";
    if (b < 1_000_000) return String.format(Locale.ROOT, "%.1f kB", b / 1e3);
    if (b < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", b / 1e6);
    if (b < 1_000_000_000_000L) return String.format(Locale.ROOT, "%.2f GB", b / 1e9);
    return String.format(Locale.ROOT, "%.2f TB", b / 1e12);
  }

  /** A count with a k/M/G suffix. */
  static String count(long n) {
    if (n < 10_000) return String.format(Locale.ROOT, "%,d", n);
    if (n < 1_000_000) return String.format(Locale.ROOT, "%.1f k", n / 1e3);
    if (n < 1_000_000_000) return String.format(Locale.ROOT, "%.2f M", n / 1e6);
    return String.format(Locale.ROOT, "%.2f G", n / 1e9);
  }

  static String grouped(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A count and a noun, plural but for one: "1 file", "2,000 files". */
  static String plural(long n, String noun) {
    return grouped(n) + " " + (n == 1 ? noun : noun + "s");
  }

  static String seconds(double s) {
    if (s < 60) return String.format(Locale.ROOT, "%.1f s", s);
    long t = Math.round(s);
    if (t < 3600) return String.format(Locale.ROOT, "%d min %02d s", t / 60, t % 60);
    return String.format(Locale.ROOT, "%d h %02d min", t / 3600, t / 60 % 60);
  }

  /** The terminal width Spark's progress bar uses ($COLUMNS, else 80). */
  static int consoleWidth() {
    String c = System.getenv("COLUMNS");
    try {
      return c == null ? 80 : Math.max(20, Integer.parseInt(c.trim()));
    } catch (NumberFormatException e) {
      return 80;
    }
  }
}
