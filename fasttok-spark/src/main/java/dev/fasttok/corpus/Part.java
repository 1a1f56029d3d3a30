package dev.fasttok.corpus;

import java.util.List;

/** The parts of the output with --val-fraction: {@code data/train/} and {@code data/validation/}. */
final class Part {
  private Part() {}

  static final String TRAIN = "train";
  static final String VALIDATION = "validation";
  static final List<String> NAMES = List.of(TRAIN, VALIDATION);
}
