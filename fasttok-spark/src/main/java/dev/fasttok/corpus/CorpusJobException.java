package dev.fasttok.corpus;

/** Why the corpus job cannot run or did not finish, in words for the person who started it. */
public final class CorpusJobException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CorpusJobException(String message) {
    super(message);
  }

  public CorpusJobException(String message, Throwable cause) {
    super(message, cause);
  }
}
