export * from './versions';
export * from './selector';
export * from './peers';
export * from './entity';
export * from './icmp';
export * from './l7';
