/** The traits a synthetic face is drawn from: who the person is, and how one photo of them differs. */

/**
 * What makes a synthetic person recognisable: fixed for an identity, in face units (the image
 * spans [-1, 1]; the face ellipse has half-width `faceWidth`).
 */
export interface FaceIdentity {
  readonly faceWidth: number;
  readonly faceHeight: number;
  /** How much the jaw narrows towards the chin, 0 (round) to about 0.5 (pointed). */
  readonly jaw: number;
  /** Skin grey level before lighting. */
  readonly skinTone: number;
  /** Amplitude and frequency of the identity's fixed skin texture (value noise). */
  readonly textureAmount: number;
  readonly textureScale: number;
  /** Seed of the identity's texture field and strand pattern. */
  readonly textureSeed: number;
  readonly hairTone: number;
  /** Hairline height (negative is up) and its tilt from a side parting. */
  readonly hairline: number;
  readonly hairParting: number;
  /** How far the hair stands out around the head. */
  readonly hairVolume: number;
  /** How far down the sides the hair falls (face units, 0 at eye level). */
  readonly hairLength: number;
  readonly eyeY: number;
  readonly eyeSpacing: number;
  readonly eyeWidth: number;
  /** Eye height over eye width. */
  readonly eyeAspect: number;
  readonly irisTone: number;
  readonly browGap: number;
  readonly browThickness: number;
  readonly browTilt: number;
  readonly browArch: number;
  readonly browTone: number;
  readonly noseLength: number;
  readonly noseWidth: number;
  readonly mouthY: number;
  readonly mouthWidth: number;
  readonly lipThickness: number;
  readonly lipTone: number;
  /** Beard darkness (0 for none). */
  readonly beard: number;
  readonly glasses: boolean;
  /** Moles as [x, y, radius] triples. */
  readonly moles: readonly (readonly [number, number, number])[];
}

/** What changes between two photos of the same person. */
export interface FaceVariation {
  /** In-plane rotation (radians), scale, and shift of the head. */
  readonly roll: number;
  readonly scale: number;
  readonly shiftX: number;
  readonly shiftY: number;
  /** Head turn left/right and up/down (moves the features across the face). */
  readonly yaw: number;
  readonly pitch: number;
  /** Light direction (azimuth, radians), its diffuse strength and the ambient level. */
  readonly lightAngle: number;
  readonly lightStrength: number;
  readonly ambient: number;
  /** Exposure: output = contrast * value + brightness. */
  readonly contrast: number;
  readonly brightness: number;
  /** Expression: smile (-: frown), mouth opening, eye opening, brow raise, gaze. */
  readonly smile: number;
  readonly mouthOpen: number;
  readonly eyeOpen: number;
  readonly browRaise: number;
  readonly gazeX: number;
  readonly background: number;
  readonly backgroundGradient: number;
  readonly clothingTone: number;
  /** Standard deviation of the per-pixel Gaussian noise, and its seed. */
  readonly noise: number;
  readonly noiseSeed: number;
}
