package dev.fasttok.flink;

import java.util.Collections;
import java.util.Set;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.factories.ModuleFactory;
import org.apache.flink.table.module.Module;

/**
 * Creates the {@link FasttokModule} for {@code LOAD MODULE fasttok [WITH (...)]}; found through
 * {@code META-INF/services/org.apache.flink.table.factories.Factory}. Options: {@code 'encoding'}
 * (the default encoding), {@code 'vocabulary.<name>'} (a custom vocabulary's path or URI, read
 * now, where the statement runs) and {@code 'vocabulary.<name>.base'}; see {@link Vocabularies}.
 */
public final class FasttokModuleFactory implements ModuleFactory {
  /** The default encoding. */
  public static final ConfigOption<String> ENCODING = ConfigOptions.key(Vocabularies.ENCODING_OPTION)
      .stringType()
      .defaultValue(Vocabularies.DEFAULT_ENCODING)
      .withDescription("The encoding of calls that name none: a built-in encoding or a custom vocabulary's name.");

  @Override
  public String factoryIdentifier() {
    return FasttokModule.NAME;
  }

  @Override
  public Set<ConfigOption<?>> requiredOptions() {
    return Collections.emptySet();
  }

  @Override
  public Set<ConfigOption<?>> optionalOptions() {
    // 'vocabulary.<name>' and 'vocabulary.<name>.base' have names of the user's choosing; they are
    // checked by Vocabularies.fromOptions.
    return Collections.singleton(ENCODING);
  }

  @Override
  public Module createModule(Context context) {
    try {
      return new FasttokModule(Vocabularies.fromOptions(context.getOptions()));
    } catch (IllegalArgumentException e) {
      throw new ValidationException("fasttok: " + e.getMessage(), e);
    }
  }
}
