/**
 * The WebGL2 backend. The float map is uploaded once per map as an R32F texture and every display
 * setting is a uniform or a small texture, so a change of colormap, range, opacity or XRAI
 * threshold is one draw call of a full-canvas triangle, with no re-upload of the map:
 * - colormap: a 256 x 1 RGB8 texture, re-uploaded only when the colormap changes (768 bytes);
 * - range and opacity: uniforms;
 * - XRAI mask: the per-pixel region ranks as an R32I texture (uploaded once per mask) and the
 *   rank -> shown table as an R8UI texture (a few hundred bytes per slider move).
 *
 * Every texture is read with texelFetch (exact texels, no filtering), so R32F needs no float
 * filtering or float render-target extension: it is core WebGL2 and works on SwiftShader too.
 * The fragment shader implements the rule documented in colorize.ts; the alpha values are passed
 * as k/255 so they convert back to exactly the bytes the Canvas 2D path writes.
 *
 * The context is created with straight (not premultiplied) alpha, like ImageData, and with a
 * preserved drawing buffer so the canvas can be read back (export, screenshots, tests).
 */
import type { DrawState, HeatmapBackend } from './backend';
import { alphaByte } from './colorize';
import { LUT_SIZE } from './colormaps';

export const webglContextAttributes: WebGLContextAttributes = {
  alpha: true,
  premultipliedAlpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  preserveDrawingBuffer: true,
};

/** The rank -> shown table is laid out in rows of this many texels (texture widths are limited). */
const INCLUDED_ROW = 1024;

const vertexSource = `#version 300 es
// One triangle that covers the whole canvas; no vertex buffers needed.
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

const fragmentSource = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
precision highp isampler2D;
precision highp usampler2D;

uniform sampler2D u_map;
uniform sampler2D u_lut;
uniform isampler2D u_ranks;
uniform usampler2D u_included;
uniform int u_rows;
uniform float u_scale;
uniform float u_offset;
uniform bool u_magnitude;
uniform float u_opacity;
uniform bool u_masked;
uniform int u_includedLength;
uniform float u_outside;

out vec4 colour;

void main() {
  // Canvas pixel -> map pixel; the map's row 0 is the top, gl_FragCoord's y grows upwards.
  ivec2 p = ivec2(int(gl_FragCoord.x), u_rows - 1 - int(gl_FragCoord.y));
  if (u_masked) {
    int rank = texelFetch(u_ranks, p, 0).r;
    bool inside = rank > 0 && rank < u_includedLength
      && texelFetch(u_included, ivec2(rank % ${INCLUDED_ROW}, rank / ${INCLUDED_ROW}), 0).r == 1u;
    if (!inside) {
      colour = vec4(0.0, 0.0, 0.0, u_outside);
      return;
    }
  }
  float v = texelFetch(u_map, p, 0).r;
  if (u_magnitude) v = abs(v);
  float t = clamp(v * u_scale + u_offset, 0.0, 1.0);
  int entry = int(floor(t * 255.0 + 0.5));
  colour = vec4(texelFetch(u_lut, ivec2(entry, 0), 0).rgb, u_opacity);
}`;

const uniformNames = [
  'u_map',
  'u_lut',
  'u_ranks',
  'u_included',
  'u_rows',
  'u_scale',
  'u_offset',
  'u_magnitude',
  'u_opacity',
  'u_masked',
  'u_includedLength',
  'u_outside',
] as const;
type Uniforms = Record<(typeof uniformNames)[number], WebGLUniformLocation | null>;

/** GPU objects; recreated from scratch after a lost context is restored. */
interface Resources {
  program: WebGLProgram;
  vao: WebGLVertexArrayObject;
  uniforms: Uniforms;
  map: WebGLTexture;
  lut: WebGLTexture;
  ranks: WebGLTexture;
  included: WebGLTexture;
}

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const shader = gl.createShader(type);
  if (!shader) throw new Error('WebGL2: cannot create a shader');
  gl.shaderSource(shader, source);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS) && !gl.isContextLost()) {
    const log = gl.getShaderInfoLog(shader);
    gl.deleteShader(shader);
    throw new Error(`WebGL2: shader does not compile: ${log ?? ''}`);
  }
  return shader;
}

function texture(gl: WebGL2RenderingContext): WebGLTexture {
  const t = gl.createTexture();
  if (!t) throw new Error('WebGL2: cannot create a texture');
  gl.bindTexture(gl.TEXTURE_2D, t);
  // No mipmaps and NEAREST make the texture complete for every format, float and integer alike.
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
  gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  return t;
}

function createResources(gl: WebGL2RenderingContext): Resources {
  const program = gl.createProgram();
  const vao = gl.createVertexArray();
  if (!program || !vao) throw new Error('WebGL2: cannot create a program');
  const vs = compile(gl, gl.VERTEX_SHADER, vertexSource);
  const fs = compile(gl, gl.FRAGMENT_SHADER, fragmentSource);
  gl.attachShader(program, vs);
  gl.attachShader(program, fs);
  gl.linkProgram(program);
  gl.deleteShader(vs);
  gl.deleteShader(fs);
  if (!gl.getProgramParameter(program, gl.LINK_STATUS) && !gl.isContextLost()) {
    throw new Error(`WebGL2: program does not link: ${gl.getProgramInfoLog(program) ?? ''}`);
  }
  const uniforms = Object.fromEntries(uniformNames.map((name) => [name, gl.getUniformLocation(program, name)])) as Uniforms;
  const resources: Resources = { program, vao, uniforms, map: texture(gl), lut: texture(gl), ranks: texture(gl), included: texture(gl) };
  gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
  // Integer samplers must always see an integer texture, even with no mask: a 1 x 1 "no region".
  gl.bindTexture(gl.TEXTURE_2D, resources.ranks);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32I, 1, 1, 0, gl.RED_INTEGER, gl.INT, new Int32Array(1));
  gl.bindTexture(gl.TEXTURE_2D, resources.included);
  gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8UI, 1, 1, 0, gl.RED_INTEGER, gl.UNSIGNED_BYTE, new Uint8Array(1));
  gl.useProgram(program);
  gl.uniform1i(uniforms.u_map, 0);
  gl.uniform1i(uniforms.u_lut, 1);
  gl.uniform1i(uniforms.u_ranks, 2);
  gl.uniform1i(uniforms.u_included, 3);
  return resources;
}

/**
 * A WebGL2 backend on `gl`, or an Error when the context cannot run the shaders (the caller then
 * falls back to Canvas 2D). `onRestored` is called after a lost context came back and the map was
 * re-uploaded, so the owner can draw again.
 */
export function createWebglBackend(gl: WebGL2RenderingContext, onRestored: () => void = () => {}): HeatmapBackend {
  let gpu: Resources | null = createResources(gl);
  let map: Float32Array | null = null;
  let width = 0;
  let height = 0;
  // What the textures hold, by identity, so a draw re-uploads only what changed.
  let lutOnGpu: Uint8Array | null = null;
  let ranksOnGpu: Int32Array | null = null;
  let includedOnGpu: Uint8Array | null = null;

  const canvas = gl.canvas;
  const onLost = (event: Event): void => {
    // Without preventDefault the browser never restores the context.
    event.preventDefault();
    gpu = null;
  };
  const onRestore = (): void => {
    gpu = createResources(gl);
    lutOnGpu = ranksOnGpu = includedOnGpu = null;
    if (map) upload(map, width, height);
    onRestored();
  };
  canvas.addEventListener('webglcontextlost', onLost as EventListener);
  canvas.addEventListener('webglcontextrestored', onRestore as EventListener);

  function upload(data: Float32Array, w: number, h: number): void {
    if (!gpu) return;
    const limit = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (w > limit || h > limit) throw new RangeError(`a ${w} x ${h} map exceeds this GPU's ${limit}-pixel texture limit`);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, gpu.map);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, w, h, 0, gl.RED, gl.FLOAT, data);
  }

  return {
    kind: 'webgl2',
    setMap(data, w, h) {
      map = data;
      width = w;
      height = h;
      upload(data, w, h);
    },
    draw(state: DrawState) {
      if (!gpu || !map) return;
      const { uniforms: u } = gpu;
      gl.useProgram(gpu.program);
      gl.bindVertexArray(gpu.vao);
      if (state.lut !== lutOnGpu) {
        gl.activeTexture(gl.TEXTURE1);
        gl.bindTexture(gl.TEXTURE_2D, gpu.lut);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGB8, LUT_SIZE, 1, 0, gl.RGB, gl.UNSIGNED_BYTE, state.lut);
        lutOnGpu = state.lut;
      }
      const mask = state.mask;
      if (mask && mask.ranks !== ranksOnGpu) {
        if (mask.ranks.length !== width * height) throw new RangeError(`the mask covers ${mask.ranks.length} pixels, the map ${width * height}`);
        gl.activeTexture(gl.TEXTURE2);
        gl.bindTexture(gl.TEXTURE_2D, gpu.ranks);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32I, width, height, 0, gl.RED_INTEGER, gl.INT, mask.ranks);
        ranksOnGpu = mask.ranks;
      }
      if (mask && mask.included !== includedOnGpu) {
        const rows = Math.max(1, Math.ceil(mask.included.length / INCLUDED_ROW));
        const table = new Uint8Array(rows * INCLUDED_ROW);
        table.set(mask.included);
        gl.activeTexture(gl.TEXTURE3);
        gl.bindTexture(gl.TEXTURE_2D, gpu.included);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.R8UI, INCLUDED_ROW, rows, 0, gl.RED_INTEGER, gl.UNSIGNED_BYTE, table);
        includedOnGpu = mask.included;
      }
      const textures = [gpu.map, gpu.lut, gpu.ranks, gpu.included];
      textures.forEach((t, unit) => {
        gl.activeTexture(gl.TEXTURE0 + unit);
        gl.bindTexture(gl.TEXTURE_2D, t);
      });
      gl.uniform1i(u.u_rows, height);
      gl.uniform1f(u.u_scale, state.transform.scale);
      gl.uniform1f(u.u_offset, state.transform.offset);
      gl.uniform1i(u.u_magnitude, state.transform.magnitude ? 1 : 0);
      gl.uniform1f(u.u_opacity, alphaByte(state.opacity) / 255);
      gl.uniform1i(u.u_masked, mask ? 1 : 0);
      gl.uniform1i(u.u_includedLength, mask ? mask.included.length : 0);
      gl.uniform1f(u.u_outside, alphaByte(state.outsideOpacity) / 255);
      gl.viewport(0, 0, width, height);
      gl.disable(gl.BLEND);
      gl.drawArrays(gl.TRIANGLES, 0, 3);
    },
    dispose() {
      canvas.removeEventListener('webglcontextlost', onLost as EventListener);
      canvas.removeEventListener('webglcontextrestored', onRestore as EventListener);
      if (gpu && !gl.isContextLost()) {
        for (const t of [gpu.map, gpu.lut, gpu.ranks, gpu.included]) gl.deleteTexture(t);
        gl.deleteProgram(gpu.program);
        gl.deleteVertexArray(gpu.vao);
      }
      gpu = null;
      map = null;
    },
  };
}
