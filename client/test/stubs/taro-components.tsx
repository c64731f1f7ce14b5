/**
 * Taro components as plain DOM for jsdom tests: View→div, Text→span, Button→button, Input→input.
 * ariaLabel/ariaRole become aria-label/role, as they do in the H5 build and (through
 * config/a11y-plugin.js) in the mini-program templates.
 */
import React from 'react';

type AnyProps = Record<string, any> & { children?: React.ReactNode };

function domProps(props: AnyProps): Record<string, any> {
  const { ariaLabel, ariaRole, hoverClass, loading, children, type, maxlength, onInput, ...rest } = props;
  const out: Record<string, any> = { ...rest };
  if (ariaLabel !== undefined) out['aria-label'] = ariaLabel;
  if (ariaRole !== undefined) out.role = ariaRole;
  if (loading) out['aria-busy'] = 'true';
  return out;
}

export function View(props: AnyProps) {
  return <div {...domProps(props)}>{props.children}</div>;
}

export function Text(props: AnyProps) {
  return <span {...domProps(props)}>{props.children}</span>;
}

export function Button(props: AnyProps) {
  return (
    <button type='button' {...domProps(props)} disabled={!!props.disabled}>
      {props.children}
    </button>
  );
}

export function Input(props: AnyProps) {
  const { onInput, value, type, maxlength, placeholder } = props;
  return (
    <input
      {...domProps({ id: props.id, className: props.className, ariaLabel: props.ariaLabel })}
      type={type === 'idcard' || type === 'number' ? 'text' : type || 'text'}
      value={value ?? ''}
      maxLength={maxlength}
      placeholder={placeholder}
      onChange={(e) => onInput?.({ detail: { value: (e.target as HTMLInputElement).value } })}
    />
  );
}

export function Image(props: AnyProps) {
  return <img alt={props.ariaLabel ?? ''} src={props.src} />;
}

export const ScrollView = View;
export const Label = View;
