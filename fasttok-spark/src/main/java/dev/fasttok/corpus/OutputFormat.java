package dev.fasttok.corpus;

import java.util.ArrayList;
import java.util.List;

/** What the corpus job writes into {@code OUTPUT/data/}: {@code --output-format}. */
public enum OutputFormat {
  /** The input's other columns plus {@code tokens ARRAY<INT>} and {@code n_tokens INT}, a row per document. */
  PARQUET("parquet", false),
  /** Megatron-LM indexed datasets, {@code part-NNNNN.bin} / {@code .idx} (see {@link TokenShardOutputFormat}). */
  MEGATRON("megatron", true),
  /** llm.c / nanoGPT token shards, {@code part-NNNNN.bin} (see {@link TokenShardOutputFormat}). */
  NANOGPT("nanogpt", true);

  private final String name;
  private final boolean eosByDefault;

  OutputFormat(String name, boolean eosByDefault) {
    this.name = name;
    this.eosByDefault = eosByDefault;
  }

  /** The name on the command line and in summary.json. */
  @Override
  public String toString() {
    return name;
  }

  /** Whether documents end with the end-of-text token unless --eos or --no-eos says otherwise. */
  public boolean eosByDefault() {
    return eosByDefault;
  }

  /** Token files (a trainer's input) rather than a table: NULL and empty documents leave no trace in them. */
  boolean tokenFiles() {
    return this != PARQUET;
  }

  /** Bytes per token id: Megatron-LM's and llm.c's choices of type for the vocabulary's size. */
  int tokenBytes(int vocabularySize) {
    switch (this) {
      case MEGATRON:
        return vocabularySize < 65500 ? 2 : 4; // DType.optimal_dtype: uint16 below 65500, else int32
      case NANOGPT:
        return vocabularySize < 65536 ? 2 : 4; // uint16 (version 1) or uint32 (version 7)
      default:
        return 4;
    }
  }

  /** The ids' type in the files, as summary.json names it. */
  String tokenType(int tokenBytes) {
    switch (this) {
      case MEGATRON:
        return tokenBytes == 2 ? "uint16" : "int32";
      case NANOGPT:
        return tokenBytes == 2 ? "uint16" : "uint32";
      default:
        return "int32";
    }
  }

  /** The format with this name (lower case, as {@link #toString}); null if none has it. */
  static OutputFormat named(String name) {
    for (OutputFormat f : values()) {
      if (f.name.equals(name)) return f;
    }
    return null;
  }

  /** Every format's name, in the order --help lists them. */
  static List<String> names() {
    List<String> names = new ArrayList<>();
    for (OutputFormat f : values()) names.add(f.name);
    return names;
  }
}
