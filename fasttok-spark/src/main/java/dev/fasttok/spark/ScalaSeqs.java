package dev.fasttok.spark;

import java.util.ArrayList;
import java.util.List;

/**
 * Scala collections from Java in a form that compiles against Scala 2.12 and 2.13 alike: an
 * immutable List is both a {@code scala.collection.Seq} (what 2.12's Spark asks for) and a
 * {@code scala.collection.immutable.Seq} (2.13's).
 */
final class ScalaSeqs {
  private ScalaSeqs() {}

  @SuppressWarnings("unchecked")
  static <T> scala.collection.immutable.List<T> list(List<? extends T> items) {
    scala.collection.immutable.List<T> l = (scala.collection.immutable.List<T>) (Object) scala.collection.immutable.Nil$.MODULE$;
    for (int i = items.size() - 1; i >= 0; i--) l = l.$colon$colon(items.get(i));
    return l;
  }

  @SafeVarargs
  static <T> scala.collection.immutable.List<T> list(T... items) {
    return list(java.util.Arrays.asList(items));
  }

  /** A Java list of any Scala Seq (2.12's or 2.13's). */
  @SuppressWarnings("unchecked")
  static <T> List<T> toJava(Object seq) {
    scala.collection.Seq<T> s = (scala.collection.Seq<T>) seq;
    List<T> out = new ArrayList<>(s.length());
    for (int i = 0; i < s.length(); i++) out.add(s.apply(i));
    return out;
  }
}
