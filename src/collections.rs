//! Containers for structures a copy of the graph shares with the snapshot it was copied from.
//!
//! The server copies its graph when an edit arrives while a request or a publish still reads it
//! (copy on write). With plain hash maps that copy was 48 MiB at 50,000 notes, on the editor's
//! path, 35 of them the term index's name tables. [`SharedMap`] splits a map into shards behind
//! `Arc`s, so a copy shares them all and a write copies only the shard it changes. (The graph's
//! own path tables and reverse link index stay plain maps, 18 MiB to copy: sharded, the server's
//! peak was 8–15 MiB higher, their 64 tables each grown by doubling or not.)

use std::borrow::Borrow;
use std::collections::hash_map::{self, RandomState};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::sync::Arc;

/// Shards per map: a write while a copy shares the map copies 1/64th of it.
const SHARDS: usize = 64;

/// A hash map whose clone is 64 reference counts, and whose writes copy one shard at most.
pub struct SharedMap<K, V> {
    shards: Box<[Arc<HashMap<K, V>>]>,
    /// Picks a key's shard; shared by the copies, so they agree.
    hasher: RandomState,
}

impl<K, V> Clone for SharedMap<K, V> {
    fn clone(&self) -> Self {
        SharedMap {
            shards: self.shards.clone(),
            hasher: self.hasher.clone(),
        }
    }
}

impl<K, V> Default for SharedMap<K, V> {
    fn default() -> Self {
        SharedMap {
            shards: (0..SHARDS).map(|_| Arc::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
        }
    }
}

impl<K: std::fmt::Debug, V: std::fmt::Debug> std::fmt::Debug for SharedMap<K, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, V> SharedMap<K, V> {
    /// Every entry, shard after shard (in no particular order, as a `HashMap`'s).
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.shards.iter().flat_map(|shard| shard.iter())
    }

    pub fn keys(&self) -> impl Iterator<Item = &K> {
        self.iter().map(|(key, _)| key)
    }
}

impl<K: Hash + Eq + Clone, V: Clone> SharedMap<K, V> {
    fn shard_of<Q: Hash + ?Sized>(&self, key: &Q) -> usize {
        self.hasher.hash_one(key) as usize % SHARDS
    }

    /// The shard of `key`, copied first if a copy of the map shares it.
    fn shard_mut<Q: Hash + ?Sized>(&mut self, key: &Q) -> &mut HashMap<K, V> {
        let idx = self.shard_of(key);
        Arc::make_mut(&mut self.shards[idx])
    }

    /// [`SharedMap::shard_mut`], if the shard holds `key`: a lookup that finds nothing copies
    /// nothing.
    fn shard_holding<Q>(&mut self, key: &Q) -> Option<&mut HashMap<K, V>>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        let idx = self.shard_of(key);
        if !self.shards[idx].contains_key(key) {
            return None;
        }
        Some(Arc::make_mut(&mut self.shards[idx]))
    }

    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.shards[self.shard_of(key)].get(key)
    }

    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.shard_holding(key)?.get_mut(key)
    }

    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        self.shard_mut(&key).insert(key, value)
    }

    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Hash + Eq + ?Sized,
    {
        self.shard_holding(key)?.remove(key)
    }

    /// The entry of `key`, as `HashMap::entry`.
    pub fn entry(&mut self, key: K) -> hash_map::Entry<'_, K, V> {
        self.shard_mut(&key).entry(key)
    }

    /// Every value, to change in place (every shard a copy shares is copied).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.shards
            .iter_mut()
            .flat_map(|shard| Arc::make_mut(shard).values_mut())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_copy_shares_every_shard_until_one_side_writes_it() {
        let mut map: SharedMap<String, Vec<u32>> = SharedMap::default();
        for i in 0..1000 {
            map.insert(format!("k{i}"), vec![i]);
        }
        let copy = map.clone();
        let shared = |a: &SharedMap<String, Vec<u32>>, b: &SharedMap<String, Vec<u32>>| {
            a.shards
                .iter()
                .zip(b.shards.iter())
                .filter(|(x, y)| Arc::ptr_eq(x, y))
                .count()
        };
        assert_eq!(shared(&map, &copy), SHARDS);
        map.get_mut("k7").expect("k7").push(7);
        map.entry("new".to_string()).or_default().push(1);
        assert!(map.get_mut("missing").is_none());
        assert!(map.remove("missing").is_none());
        assert!(shared(&map, &copy) >= SHARDS - 2, "{}", shared(&map, &copy));
        assert_eq!(map.get("k7"), Some(&vec![7, 7]));
        assert_eq!(copy.get("k7"), Some(&vec![7]));
        assert_eq!(copy.get("new"), None);
        assert_eq!(map.remove("k7"), Some(vec![7, 7]));
        assert_eq!((map.iter().count(), copy.iter().count()), (1000, 1000));
        assert!(copy.get("k7").is_some() && map.get("k7").is_none());
        let mut keys: Vec<&String> = copy.keys().collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 1000);
    }
}
