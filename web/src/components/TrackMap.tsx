import type { Map as MapLibre } from 'maplibre-gl';
import * as maplibregl from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { t } from '../i18n/index.js';
import type { Declaration, Office, Track } from '../lib/types.js';
import { useBaseMap } from './BaseMap.js';
import { addSelectionLayers, corridorFeature, showSelection, SELECTION_COLOURS } from './selection-layers.js';

/** One movement's track, stops, seal events and declared corridor on a small map. */
export const TrackMap = ({ declaration, track }: { declaration: Declaration; track: Track | null }) => {
  const container = useRef<HTMLDivElement>(null);
  const [ready, setReady] = useState<{ map: MapLibre; offices: Office[] } | null>(null);
  const onReady = useCallback((map: MapLibre, offices: Office[]) => {
    addSelectionLayers(map);
    setReady({ map, offices });
  }, []);
  useBaseMap(container, onReady);

  useEffect(() => {
    if (!ready) return;
    const corridor = corridorFeature(declaration, ready.offices);
    showSelection(ready.map, { corridor, track });
    const bounds = new maplibregl.LngLatBounds();
    for (const feature of corridor.features) if (feature.geometry.type === 'LineString') for (const c of feature.geometry.coordinates) bounds.extend(c as [number, number]);
    for (const p of track?.positions ?? []) bounds.extend([p.lon, p.lat]);
    if (!bounds.isEmpty()) ready.map.fitBounds(bounds, { padding: 40, duration: 0, maxZoom: 9 });
  }, [ready, declaration, track]);

  return (
    <figure className="track-map">
      <div ref={container} className="map small-map" role="region" aria-label={t.map.track} data-testid="track-map" />
      <figcaption className="legend-inline">
        <span><span className="swatch" style={{ background: SELECTION_COLOURS.track }} /> {t.map.track}</span>
        <span><span className="swatch corridor" /> {t.map.corridor}</span>
        <span><span className="swatch" style={{ background: SELECTION_COLOURS.stop }} /> {t.map.stop}</span>
        <span><span className="swatch" style={{ background: SELECTION_COLOURS.seal }} /> {t.map.sealOpened}</span>
      </figcaption>
    </figure>
  );
};
