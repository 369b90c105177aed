import * as React from "react";

import { Label } from "./label";
import { cn } from "./utils";

/** Props FormField wires onto its control (spread them on the focusable element). */
export type FormFieldControlProps = {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
  "aria-required"?: true;
};

export type FormFieldProps = Omit<React.ComponentProps<"div">, "children"> & {
  /** Visible label, linked to the control with htmlFor/id. */
  label: React.ReactNode;
  /** Help text under the control (linked through aria-describedby). */
  description?: React.ReactNode;
  /**
   * Error message(s). When present the control gets aria-invalid and the message
   * is linked through aria-describedby and announced (role="alert").
   * Accepts a node or a string[] (e.g. zod's `flatten().fieldErrors.name`).
   */
  error?: React.ReactNode | readonly string[];
  /** Adds a visual "*" to the label and aria-required on the control. */
  required?: boolean;
  /** Control id; defaults to the child's own `id`, then to a `useId()` value. */
  controlId?: string;
  /** Class names for the label element. */
  labelClassName?: string;
  /**
   * Either a single element (Input, Textarea, native select, ...) that receives
   * the wiring props, or a render function for composite controls, e.g.
   *   {(control) => <Select ...><SelectTrigger {...control}>...</SelectTrigger>...</Select>}
   */
  children:
    | React.ReactElement<Record<string, unknown>>
    | ((control: FormFieldControlProps) => React.ReactNode);
};

function hasContent(error: FormFieldProps["error"]): boolean {
  if (error == null || error === false || error === "") return false;
  if (Array.isArray(error)) return error.some((e) => e != null && e !== "");
  return true;
}

function joinIds(...ids: Array<unknown>): string | undefined {
  const out = ids.filter((v): v is string => typeof v === "string" && v.length > 0).join(" ");
  return out.length > 0 ? out : undefined;
}

/**
 * Label + control + description + error message, with the accessibility
 * wiring done for you (htmlFor/id, aria-describedby, aria-invalid,
 * aria-required). Works in Server and Client Components.
 *
 *   <FormField label="Name" description="Shown in the sidebar" error={errors.name} required>
 *     <Input name="name" />
 *   </FormField>
 */
function FormField({
  label,
  description,
  error,
  required,
  controlId,
  labelClassName,
  className,
  children,
  ...props
}: FormFieldProps) {
  const generatedId = React.useId();
  const child = typeof children === "function" ? null : children;
  const childProps = child?.props ?? {};

  const id =
    controlId ??
    (typeof childProps.id === "string" && childProps.id ? childProps.id : `${generatedId}-control`);
  const descriptionId = description ? `${id}-description` : undefined;
  const invalid = hasContent(error);
  const errorId = invalid ? `${id}-error` : undefined;

  const control: FormFieldControlProps = {
    id,
    "aria-describedby": joinIds(childProps["aria-describedby"], descriptionId, errorId),
    ...(invalid ? { "aria-invalid": true as const } : {}),
    ...(required ? { "aria-required": true as const } : {}),
  };

  const renderedControl =
    typeof children === "function"
      ? children(control)
      : React.cloneElement(children, control);

  const errors: React.ReactNode[] = Array.isArray(error)
    ? error.filter((e) => e != null && e !== "")
    : [error as React.ReactNode];

  return (
    <div
      data-slot="form-field"
      data-invalid={invalid || undefined}
      className={cn("grid gap-2", className)}
      {...props}
    >
      <Label
        htmlFor={id}
        className={cn(invalid && "text-destructive", labelClassName)}
      >
        {label}
        {required ? (
          <span aria-hidden="true" className="-ml-1 text-destructive">
            *
          </span>
        ) : null}
      </Label>
      {renderedControl}
      {description ? (
        <p
          id={descriptionId}
          data-slot="form-field-description"
          className="text-sm text-muted-foreground"
        >
          {description}
        </p>
      ) : null}
      {invalid ? (
        <div
          id={errorId}
          role="alert"
          data-slot="form-field-error"
          className="text-sm font-medium text-destructive"
        >
          {errors.length === 1 ? errors[0] : errors.map((e, i) => <p key={i}>{e}</p>)}
        </div>
      ) : null}
    </div>
  );
}

export { FormField };
