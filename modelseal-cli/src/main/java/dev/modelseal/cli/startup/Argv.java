package dev.modelseal.cli.startup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one place the start-up code looks at the command line: the subcommand name, and for the fixed
 * shapes the start-up shortcuts take ({@link #match}), the options and positional arguments.
 *
 * <p>Guarantee: conservative. {@link #match} accepts only the exact shape it is given (each option
 * at most once, in the {@code --name value} or {@code --name=value} form, non-empty values that do
 * not start with {@code -}, flags without a value, no other token starting with {@code -}); any
 * other command line gives null, and is then left whole to the full picocli parser, which reports
 * it with its usual message. It never throws and never rejects a command line itself.
 */
public final class Argv {
  private final String[] args;

  private Argv(String[] args) {
    this.args = args.clone();
  }

  /** The command line {@code args} (copied). */
  public static Argv of(String... args) {
    return new Argv(args);
  }

  /** The subcommand: the first argument unless it is an option ({@code --help}); or null. */
  public String command() {
    return args.length == 0 || args[0].startsWith("-") ? null : args[0];
  }

  /** Whether the subcommand is {@code name}. */
  public boolean is(String name) {
    return name.equals(command());
  }

  /** Whether {@code option} is one of the arguments, alone or as {@code option=value}. */
  public boolean contains(String option) {
    for (String a : args) {
      if (a.equals(option) || (a.startsWith(option) && a.charAt(option.length()) == '=')) {
        return true;
      }
    }
    return false;
  }

  /** A copy of the arguments. */
  String[] toArray() {
    return args.clone();
  }

  /**
   * The arguments after the subcommand read with exactly these options, or null when they have
   * another shape (see the class comment).
   *
   * @param valued the options that take a value ({@code --public-key})
   * @param flags the options that take none ({@code --json})
   * @param positionals how many positional arguments there must be
   */
  public Matched match(Set<String> valued, Set<String> flags, int positionals) {
    if (command() == null) {
      return null;
    }
    Map<String, String> values = new HashMap<>();
    Set<String> set = new HashSet<>();
    List<String> plain = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        plain.add(a);
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      if (flags.contains(name)) {
        if (value != null || !set.add(name)) {
          return null;
        }
      } else if (valued.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.length) {
            return null;
          }
          value = args[++i];
        }
        if (value.isEmpty() || value.startsWith("-") || values.putIfAbsent(name, value) != null) {
          return null;
        }
      } else {
        return null; // an option the shortcut does not know, or "-" / "--"
      }
    }
    return plain.size() == positionals ? new Matched(values, set, plain) : null;
  }

  /** A command line of the asked shape. */
  public static final class Matched {
    private final Map<String, String> values;
    private final Set<String> flags;
    private final List<String> positionals;

    private Matched(Map<String, String> values, Set<String> flags, List<String> positionals) {
      this.values = Map.copyOf(values);
      this.flags = Set.copyOf(flags);
      this.positionals = List.copyOf(positionals);
    }

    /** The value of option {@code name}, or null when it was not given. */
    public String value(String name) {
      return values.get(name);
    }

    /** Whether flag {@code name} was given. */
    public boolean flag(String name) {
      return flags.contains(name);
    }

    /** The {@code i}-th positional argument. */
    public String positional(int i) {
      return positionals.get(i);
    }
  }
}
