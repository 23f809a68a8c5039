package dev.hardway.model;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a field of {@code cluster.yaml} means and accepts. It sits on the model's record components, so the loader,
 * the validator, the JSON Schema and the field reference all read one description of each field and cannot drift
 * apart ({@link ModelField} reads it).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface SpecField {
    /** One or two sentences for the user: what the field does, not how hardway stores it. */
    String description();

    /** An example value as YAML text, e.g. {@code 10.240.0.10} or {@code [k8s.example.com, 203.0.113.10]}. */
    String example();

    /** The value used when the field is absent, as YAML text; empty when there is none. */
    String defaultValue() default "";

    /** When the default is computed rather than fixed, how (e.g. "per Kubernetes minor"); shown in the reference. */
    String defaultRule() default "";

    boolean required() default false;

    ValueFormat format() default ValueFormat.TEXT;

    /** Inclusive bounds of a whole-number field. */
    long minimum() default Long.MIN_VALUE;

    long maximum() default Long.MAX_VALUE;
}
