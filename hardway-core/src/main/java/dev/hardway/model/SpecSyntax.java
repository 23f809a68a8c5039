package dev.hardway.model;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * The YAML layer of {@code cluster.yaml}: one document of plain mappings, lists and scalars. YAML features that
 * make a file mean something other than what it shows are refused where they occur: a second document (silently
 * ignored by most readers), anchors and aliases (one edit changing several places; also the "billion laughs"),
 * tags, and nesting far deeper than the spec has.
 */
final class SpecSyntax {
    /** cluster.yaml nests four levels (workers, an item, its fields); anything deeper is a mistake or an attack. */
    static final int MAX_DEPTH = 16;

    private SpecSyntax() {
    }

    /** The document's root node (null when the document is empty), or the problems that prevent reading it. */
    record Parsed(Node root, List<Problem> problems) {
    }

    static Parsed parse(String text) {
        LoaderOptions options = new LoaderOptions();
        // duplicates are reported by the binder, with the path and line of the second key
        options.setAllowDuplicateKeys(true);
        options.setMaxAliasesForCollections(0);
        options.setNestingDepthLimit(MAX_DEPTH + 4);
        options.setCodePointLimit(SpecText.MAX_BYTES + 1);
        try {
            // parsed once: the events the scan walks are the ones the tree is composed from
            List<Event> events = new ArrayList<>();
            List<Problem> problems = scan(new ParserImpl(new StreamReader(new StringReader(text)), options), events);
            if (!problems.isEmpty()) {
                return new Parsed(null, problems);
            }
            return new Parsed(new Composer(new Replay(events), new Resolver(), options).getSingleNode(), List.of());
        } catch (MarkedYAMLException e) {
            return new Parsed(null, List.of(syntaxError(e)));
        } catch (ReaderException e) {
            return new Parsed(null, List.of(badCharacter(text, e)));
        } catch (YAMLException e) {
            // not reached for the limits above; kept so that no parser message shape reaches the user
            return new Parsed(null, List.of(new Problem("", "the file is not valid YAML", null)));
        }
    }

    /** Walks the event stream once, reporting what the spec does not allow with the path where it occurs. */
    private static List<Problem> scan(Parser parser, List<Event> events) {
        List<Problem> problems = new ArrayList<>();
        Paths paths = new Paths();
        int documents = 0;
        while (parser.peekEvent() != null) {
            Event event = parser.getEvent();
            events.add(event);
            if (event instanceof DocumentStartEvent) {
                if (++documents == 2) {
                    problems.add(new Problem("", "a second YAML document starts here; cluster.yaml is one document "
                            + "(remove the '---' and what follows, or merge it into the first)", line(event),
                            column(event)));
                    return problems;
                }
                continue;
            }
            if (event instanceof CollectionEndEvent) {
                paths.leave();
                continue;
            }
            if (!(event instanceof NodeEvent node)) {
                continue;
            }
            String path = paths.enter(event);
            if (event instanceof AliasEvent alias) {
                problems.add(problem(path, "the alias '*" + alias.getAnchor() + "' refers to another part of the "
                        + "file; cluster.yaml does not use anchors and aliases: write the value out", event));
            } else if (node.getAnchor() != null) {
                problems.add(problem(path, "the anchor '&" + node.getAnchor() + "' is not allowed; cluster.yaml does "
                        + "not use anchors and aliases: write each value out", event));
            }
            String tag = event instanceof ScalarEvent s ? s.getTag()
                    : event instanceof CollectionStartEvent c ? c.getTag() : null;
            if (tag != null) {
                problems.add(problem(path, "the YAML tag '" + shortTag(tag) + "' is not allowed; write the plain "
                        + "value (quote it to make it text)", event));
            }
            if (paths.depth() > MAX_DEPTH) {
                problems.add(problem(path, "the document nests more than " + MAX_DEPTH + " levels deep here; "
                        + "cluster.yaml has at most four levels", event));
                return problems;
            }
        }
        return problems;
    }

    private static String shortTag(String tag) {
        return tag.startsWith("tag:yaml.org,2002:") ? "!!" + tag.substring("tag:yaml.org,2002:".length()) : tag;
    }

    private static Problem problem(String path, String message, Event event) {
        return new Problem(path, message, line(event), column(event));
    }

    private static int line(Event e) {
        return e.getStartMark().getLine() + 1;
    }

    private static int column(Event e) {
        return e.getStartMark().getColumn() + 1;
    }

    private static Problem syntaxError(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() == null ? "" : e.getProblem();
        if (problem.contains("\\t(TAB)") || problem.contains("'\\t'")) {
            problem = "a tab where YAML expects indentation; indent with spaces";
        }
        // a syntax error belongs to no field: the message names the file's text at the position given
        String what = problem.isEmpty() ? "the YAML is not valid here" : "the YAML is not valid here: " + problem;
        if (mark == null) {
            return new Problem("", what, null);
        }
        return new Problem("", what, mark.getLine() + 1, mark.getColumn() + 1);
    }

    /** A character YAML forbids (a NUL, a control character); the parser gives its index in the text. */
    private static Problem badCharacter(String text, ReaderException e) {
        int line = 1;
        int column = 1;
        int end = Math.min(e.getPosition(), text.length());
        for (int i = 0; i < end; i = text.offsetByCodePoints(i, 1)) {
            if (text.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Problem("", String.format(Locale.ROOT, "the character U+%04X is not allowed in a YAML file",
                e.getCodePoint()), line, column);
    }

    /** The events of one parse, handed to the composer again. */
    private static final class Replay implements Parser {
        private final List<Event> events;
        private int next;

        Replay(List<Event> events) {
            this.events = events;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            Event e = peekEvent();
            return e != null && e.is(choice);
        }

        @Override
        public Event peekEvent() {
            return next < events.size() ? events.get(next) : null;
        }

        @Override
        public Event getEvent() {
            Event e = peekEvent();
            if (e != null) {
                next++;
            }
            return e;
        }
    }

    /** The field path of each node event, tracked through the mapping and sequence events around it. */
    private static final class Paths {
        private static final class Frame {
            final String path;
            final boolean mapping;
            boolean expectKey = true;
            String key;
            int index = -1;

            Frame(String path, boolean mapping) {
                this.path = path;
                this.mapping = mapping;
            }
        }

        private final Deque<Frame> frames = new ArrayDeque<>();

        String enter(Event event) {
            String path;
            Frame top = frames.peek();
            if (top == null) {
                path = "";
            } else if (top.mapping) {
                if (top.expectKey) {
                    top.key = event instanceof ScalarEvent s ? s.getValue() : "?";
                    top.expectKey = false;
                } else {
                    top.expectKey = true;
                }
                path = join(top.path, top.key);
            } else {
                top.index++;
                path = top.path + "[" + top.index + "]";
            }
            if (event instanceof CollectionStartEvent) {
                frames.push(new Frame(path, event instanceof MappingStartEvent));
            }
            return path;
        }

        void leave() {
            frames.pop();
        }

        int depth() {
            return frames.size();
        }

        private static String join(String parent, String key) {
            return parent.isEmpty() ? key : parent + "." + key;
        }
    }
}
