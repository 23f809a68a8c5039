package dev.hardway.model;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One field of {@code cluster.yaml}, read off a model record's component and its {@link SpecField}: the single
 * source the loader, the validator, the JSON Schema and the field reference share.
 *
 * @param name      the YAML key, which is the record component's name
 * @param kind      what shape of value the field holds
 * @param section   for a section or a list of sections, the record type of one; otherwise {@code null}
 * @param doc       the field's documentation and limits
 * @param component the record component, to read the value off an instance
 */
public record ModelField(String name, Kind kind, Class<? extends Record> section, SpecField doc,
                         RecordComponent component) {

    /** The value shapes cluster.yaml uses. */
    public enum Kind {
        STRING, INTEGER, BOOLEAN, SECTION, STRING_LIST, SECTION_LIST, STRING_MAP;

        public boolean isList() {
            return this == STRING_LIST || this == SECTION_LIST;
        }
    }

    /** The fields of a model record in declaration order, which is the order documentation lists them in. */
    public static List<ModelField> of(Class<? extends Record> type) {
        return FIELDS.get(type);
    }

    /** Read once per record type: the loader and the validator ask for them on every item of a 1000-node spec. */
    @SuppressWarnings("unchecked")
    private static final ClassValue<List<ModelField>> FIELDS = new ClassValue<>() {
        @Override
        protected List<ModelField> computeValue(Class<?> type) {
            return Arrays.stream(((Class<? extends Record>) type).getRecordComponents()).map(ModelField::of).toList();
        }
    };

    public static Optional<ModelField> named(Class<? extends Record> type, String name) {
        return of(type).stream().filter(f -> f.name.equals(name)).findFirst();
    }

    @SuppressWarnings("unchecked")
    private static ModelField of(RecordComponent c) {
        SpecField doc = c.getAnnotation(SpecField.class);
        if (doc == null) {
            throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName()
                    + " has no @SpecField: every field of cluster.yaml is documented");
        }
        Class<?> type = c.getType();
        if (type == String.class) {
            return new ModelField(c.getName(), Kind.STRING, null, doc, c);
        }
        if (type == Integer.class) {
            return new ModelField(c.getName(), Kind.INTEGER, null, doc, c);
        }
        if (type == Boolean.class) {
            return new ModelField(c.getName(), Kind.BOOLEAN, null, doc, c);
        }
        if (type == Map.class) {
            Type[] args = ((ParameterizedType) c.getGenericType()).getActualTypeArguments();
            if (args[0] == String.class && args[1] == String.class) {
                return new ModelField(c.getName(), Kind.STRING_MAP, null, doc, c);
            }
        }
        if (type.isRecord()) {
            return new ModelField(c.getName(), Kind.SECTION, (Class<? extends Record>) type, doc, c);
        }
        if (type == List.class) {
            Type element = ((ParameterizedType) c.getGenericType()).getActualTypeArguments()[0];
            if (element == String.class) {
                return new ModelField(c.getName(), Kind.STRING_LIST, null, doc, c);
            }
            if (element instanceof Class<?> e && e.isRecord()) {
                return new ModelField(c.getName(), Kind.SECTION_LIST, (Class<? extends Record>) e, doc, c);
            }
        }
        throw new IllegalStateException(c.getDeclaringRecord().getSimpleName() + "." + c.getName()
                + " has a type cluster.yaml cannot hold: " + c.getGenericType());
    }

    /** The field's value on {@code instance}, one of the model records. */
    public Object valueOf(Record instance) {
        try {
            return component.getAccessor().invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + name, e);
        }
    }

    public boolean required() {
        return doc.required();
    }

    public boolean hasMinimum() {
        return doc.minimum() != Long.MIN_VALUE;
    }

    public boolean hasMaximum() {
        return doc.maximum() != Long.MAX_VALUE;
    }

    /** "between 1 and 36500", "at least 1", or empty. */
    public String range() {
        if (hasMinimum() && hasMaximum()) {
            return "between " + doc.minimum() + " and " + doc.maximum();
        }
        if (hasMinimum()) {
            return "at least " + doc.minimum();
        }
        return hasMaximum() ? "at most " + doc.maximum() : "";
    }
}
